import { readFile } from 'node:fs/promises';

interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly dur?: number;
  readonly args?: { readonly op_name?: string; readonly provider?: string };
}

export interface OpTime {
  /** Trace category: `Node` for ORT's per-node host timings; others (e.g. the WebGPU EP's GPU timestamps) as the EP writes them. */
  readonly cat: string;
  readonly op: string;
  readonly provider: string;
  readonly ms: number;
  /** Share of the time in its category. */
  readonly share: number;
  readonly calls: number;
}

/**
 * Time per operator and execution provider from an onnxruntime profile (Chrome trace JSON).
 * The provider column is the node-placement check: on a GPU-ready graph everything but shape
 * arithmetic should say WebGpuExecutionProvider, and Memcpy rows are host<->GPU copies. Node
 * times of an asynchronous EP measure dispatch, so GPU-side events are listed as their own
 * category when the EP writes them.
 */
export async function profileTopOps(traceFile: string): Promise<OpTime[]> {
  const events = JSON.parse(await readFile(traceFile, 'utf8')) as TraceEvent[];
  const totals = new Map<string, { cat: string; op: string; provider: string; us: number; calls: number }>();
  for (const event of events) {
    if (event.dur === undefined || !event.cat || event.cat === 'Session') continue;
    if (event.cat === 'Node' && !event.name?.endsWith('_kernel_time')) continue;
    const op = event.args?.op_name ?? event.name ?? '?';
    const provider = event.args?.provider ?? '';
    const key = `${event.cat}|${op}|${provider}`;
    const entry = totals.get(key) ?? { cat: event.cat, op, provider, us: 0, calls: 0 };
    entry.us += event.dur;
    entry.calls += 1;
    totals.set(key, entry);
  }
  const perCategory = new Map<string, number>();
  for (const e of totals.values()) perCategory.set(e.cat, (perCategory.get(e.cat) ?? 0) + e.us);
  return [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .map((e) => ({ cat: e.cat, op: e.op, provider: e.provider, ms: e.us / 1000, share: e.us / (perCategory.get(e.cat) || 1), calls: e.calls }));
}
