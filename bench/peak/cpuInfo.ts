import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/**
 * What the benchmark reports about the machine, and its theoretical fp32 peak:
 * cores × clock × FLOPs per cycle per core.
 *
 * @example
 * const cpu = readCpuInfo(); // { model: 'AMD EPYC', cores: 2, clockGHz: 2.596, ... }
 */
export interface CpuInfo {
  readonly model: string;
  readonly cores: number;
  readonly threadsPerCore: number;
  readonly clockGHz: number;
  /** Where the clock came from: lscpu's max MHz when the hypervisor shows it, else /proc/cpuinfo. */
  readonly clockSource: string;
  readonly flags: readonly string[];
  readonly ramGiB: number;
  readonly fp32FlopsPerCycle: number;
  readonly theoreticalGflops: number;
}

/**
 * Zen 4 runs AVX-512 as two 256-bit halves on its two FMA pipes: 2 pipes × 8 fp32 lanes × 2 FLOPs
 * (multiply + add) = 32 fp32 FLOPs per cycle per core, the same as AVX2 on two FMA pipes.
 */
const FLOPS_PER_CYCLE_WITH_FMA = 32;

export function readCpuInfo(): CpuInfo {
  const lscpu = parseColonList(execFileSync('lscpu', { encoding: 'utf8' }));
  const cores = Number(lscpu.get('Core(s) per socket') ?? 1) * Number(lscpu.get('Socket(s)') ?? 1);
  const flags = (lscpu.get('Flags') ?? '').split(/\s+/).filter(Boolean);
  const { ghz, source } = clock(lscpu);
  const fp32FlopsPerCycle = flags.includes('fma') ? FLOPS_PER_CYCLE_WITH_FMA : 16;
  return {
    model: lscpu.get('Model name') ?? 'unknown',
    cores,
    threadsPerCore: Number(lscpu.get('Thread(s) per core') ?? 1),
    clockGHz: ghz,
    clockSource: source,
    flags: flags.filter((f) => /^(avx|fma)/.test(f)),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    fp32FlopsPerCycle,
    theoreticalGflops: cores * ghz * fp32FlopsPerCycle,
  };
}

function clock(lscpu: ReadonlyMap<string, string>): { ghz: number; source: string } {
  const max = Number(lscpu.get('CPU max MHz'));
  if (max > 0) return { ghz: max / 1000, source: 'lscpu CPU max MHz' };
  const mhz = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
  return { ghz: Number(mhz ?? 0) / 1000, source: '/proc/cpuinfo cpu MHz (nominal; the hypervisor hides boost clocks)' };
}

function parseColonList(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) entries.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return entries;
}
