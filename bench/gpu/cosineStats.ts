/** Smallest and mean cosine between paired vectors (both sets unit-length or not). */
export function cosineStats(a: readonly Float32Array[], b: readonly Float32Array[]): { min: number; mean: number } {
  let min = Infinity;
  let sum = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    let dot = 0;
    let nx = 0;
    let ny = 0;
    for (let d = 0; d < x.length; d++) {
      dot += x[d]! * y[d]!;
      nx += x[d]! * x[d]!;
      ny += y[d]! * y[d]!;
    }
    const cos = dot / Math.sqrt(nx * ny);
    min = Math.min(min, cos);
    sum += cos;
  });
  return { min, mean: sum / a.length };
}
