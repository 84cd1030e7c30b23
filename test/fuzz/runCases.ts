import fc from 'fast-check';

/** Counts of one fuzz run: cases, outcomes by label, and the first failures with the case that caused them. */
export interface FuzzReport {
  readonly target: string;
  readonly cases: number;
  readonly outcomes: Record<string, number>;
  readonly failures: { readonly index: number; readonly problem: string; readonly input: string }[];
  readonly failureCount: number;
  readonly seconds: number;
}

export interface Judged {
  readonly outcome: string;
  readonly problem?: string | undefined;
}

/**
 * Draws `count` cases from `arbitrary` with a fixed seed (the same cases on every run) and
 * judges each with `judge`, `concurrency` at a time. fast-check's `sample` is used instead of
 * `assert`: the targets are real servers where throughput comes from many requests in flight.
 * The failing input is kept (truncated) so it can become a regression test.
 */
export async function runCases<T>(target: string, arbitrary: fc.Arbitrary<T>, options: { count: number; seed: number; concurrency: number }, judge: (input: T, index: number) => Promise<Judged>): Promise<FuzzReport> {
  const tally = new Tally(target);
  const chunk = 1_000;
  for (let offset = 0; offset < options.count; offset += chunk) {
    // One seed per chunk keeps memory flat for 100,000 cases and stays reproducible.
    const inputs = fc.sample(arbitrary, { seed: options.seed + offset, numRuns: Math.min(chunk, options.count - offset) });
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < inputs.length) {
        const index = next++;
        const input = inputs[index]!;
        const verdict = await judge(input, offset + index).catch((error: unknown) => ({ outcome: 'threw', problem: `the judge threw: ${(error as Error).stack ?? String(error)}` }));
        tally.add(verdict, offset + index, input);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, lane));
  }
  return tally.report();
}

/** Outcome counts and the first failures, for targets that judge cases in rounds rather than one by one. */
export class Tally {
  private readonly started = Date.now();
  private readonly outcomes: Record<string, number> = {};
  private readonly failures: FuzzReport['failures'][number][] = [];
  private failureCount = 0;
  private cases = 0;

  constructor(private readonly target: string) {}

  add(verdict: Judged, index: number, input: unknown): void {
    this.cases += 1;
    this.outcomes[verdict.outcome] = (this.outcomes[verdict.outcome] ?? 0) + 1;
    if (!verdict.problem) return;
    this.failureCount += 1;
    if (this.failures.length < 20) this.failures.push({ index, problem: verdict.problem, input: describe(input) });
  }

  report(): FuzzReport {
    return { target: this.target, cases: this.cases, outcomes: { ...this.outcomes }, failures: [...this.failures], failureCount: this.failureCount, seconds: (Date.now() - this.started) / 1000 };
  }
}

function describe(input: unknown): string {
  const text = fc.stringify(input);
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
}

export function formatReport(report: FuzzReport): string {
  const outcomes = Object.entries(report.outcomes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const lines = [`${report.target}: ${report.cases} cases in ${report.seconds.toFixed(1)} s, ${report.failureCount} failures (${outcomes})`];
  for (const f of report.failures.slice(0, 5)) lines.push(`  #${f.index}: ${f.problem}\n    input: ${f.input}`);
  return lines.join('\n');
}
