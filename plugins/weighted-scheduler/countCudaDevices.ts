import { execFileSync } from 'node:child_process';

/**
 * How many GPUs a CUDA session can address here (ORT's `device_id` 0..N-1). CUDA numbers
 * devices inside the `CUDA_VISIBLE_DEVICES` mask, so when the mask is set its length is the
 * count (CUDA stops at the first entry that is not a device, e.g. `-1`, and `""` hides them
 * all); otherwise every GPU `nvidia-smi -L` lists. Without nvidia-smi (a container run without
 * the NVIDIA runtime's tools) one GPU is assumed: a detected device that cannot start is
 * dropped quietly, so guessing one costs a log line, guessing none would hide a GPU.
 *
 * @example
 * countCudaDevices('0,1', () => undefined); // 2
 * countCudaDevices(undefined, () => 'GPU 0: NVIDIA A10G (UUID: …)\nGPU 1: NVIDIA A10G (UUID: …)\n'); // 2
 */
export function countCudaDevices(visibleDevices: string | undefined, listGpus: () => string | undefined = nvidiaSmiList): number {
  if (visibleDevices !== undefined) return countVisible(visibleDevices);
  const listing = listGpus();
  if (listing === undefined) return 1;
  return listing.split('\n').filter((line) => /^GPU \d+:/.test(line.trim())).length;
}

function countVisible(mask: string): number {
  let count = 0;
  for (const entry of mask.split(',').map((e) => e.trim())) {
    // An index, a GPU-/MIG- UUID; anything else ends the list as it does for CUDA.
    if (!/^(\d+|GPU-[0-9a-fA-F-]+|MIG-[0-9A-Za-z/-]+)$/.test(entry)) break;
    count++;
  }
  return count;
}

/** `nvidia-smi -L` output, or undefined when the tool is absent or fails (no driver). */
function nvidiaSmiList(): string | undefined {
  try {
    return execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}
