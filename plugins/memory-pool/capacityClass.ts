/** Largest cell count a class may have: 2^30 cells of int64 is already 8 GiB per array. */
export const MAX_CELLS = 2 ** 30;

/**
 * The capacity class serving a batch of `cells` (rows × seqLen) cells: the smallest value
 * ≥ cells on a grid of `perDoubling` steps between consecutive powers of two, never below
 * `minCells`. Classes are by cell count, not by (rows, seqLen) pair, because the buffers are
 * flat: a 32 × 64 batch can reuse the buffer of a 64 × 32 one.
 *
 * @example
 * capacityClass(1000, 4, 256); // 1024
 * capacityClass(1100, 4, 256); // 1280 (grid 1024, 1280, 1536, 1792, 2048)
 */
export function capacityClass(cells: number, perDoubling: number, minCells: number): number {
  if (!Number.isInteger(cells) || cells < 0 || cells > MAX_CELLS) throw new RangeError(`cells must be an integer in [0, ${MAX_CELLS}], got ${cells}`);
  const wanted = Math.max(cells, minCells, 1);
  const octave = 2 ** (31 - Math.clz32(wanted));
  const step = Math.max(1, Math.ceil(octave / perDoubling));
  return Math.ceil(wanted / step) * step;
}
