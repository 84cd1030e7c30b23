/**
 * Adaptive batching replay (issue 14 item 5): real text (the Debian-description corpus), load that
 * shifts over three phases (steady, bursts, short → long texts, priority mix change, one device
 * slowed by a CPU-burning thread), for each policy at each load level. Each run is a fresh child
 * process, so peak RSS and learned state are its own. Reports throughput, useful tokens/s, p95/p99
 * and SLO compliance per priority, padding share and peak RSS, as a markdown table.
 *
 * Run: `npm run build && node dist/bench/adaptive/runReplay.js --scenario bursts --levels 20,40
 *   --policies static,memory-aware,predictive,rl [--phase-seconds 20] [--targets 500,2000,8000]
 *   [--memory-budget-mib 512]` — levels are request arrivals per second (1–5 texts each).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { corpusTexts } from '../support/corpusTexts.js';
import { loadPlan, textPools } from './loadPlan.js';
import { replay, type ReplayResult } from './replayRun.js';
import { scenario } from './scenarios.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'steady' },
    levels: { type: 'string', default: '20' },
    policies: { type: 'string', default: 'static,memory-aware,predictive,rl' },
    'phase-seconds': { type: 'string', default: '20' },
    targets: { type: 'string', default: '500,2000,8000' },
    'memory-budget-mib': { type: 'string', default: '512' },
    child: { type: 'string' },
  },
});

const [critical, normal, background] = values.targets.split(',').map(Number) as [number, number, number];
const targetsMs = { critical, normal, background };
const phases = scenario(values.scenario, Number(values['phase-seconds']));

async function child(policy: string, level: number): Promise<void> {
  const arrivals = loadPlan(phases, level, textPools(await corpusTexts(4000)));
  const result = await replay(arrivals, phases, { policy, targetsMs, memoryBudgetBytes: Number(values['memory-budget-mib']) * 1024 * 1024 });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(policy: string, level: number): Promise<ReplayResult> {
  const args = [fileURLToPath(import.meta.url), '--child', `${policy}@${level}`, ...process.argv.slice(2).filter((a) => !a.startsWith('--child'))];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${policy}@${level} failed: ${stderr || error.message}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ReplayResult);
    }),
  );
}

const f = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

async function main(): Promise<void> {
  if (values.child) {
    const [policy, level] = values.child.split('@') as [string, string];
    return child(policy, Number(level));
  }
  console.log(`scenario ${values.scenario}, ${phases.length} phases of ${values['phase-seconds']} s, targets ${values.targets} ms (critical, normal, background)\n`);
  console.log('| level (req/s) | policy | texts/s | useful tok/s | refused | p95 / p99 ms crit | p95 / p99 ms normal | p95 / p99 ms bg | SLO crit / normal / bg | padding | texts/batch | peak RSS MiB | learner at end |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const level of values.levels.split(',').map(Number)) {
    for (const policy of values.policies.split(',')) {
      const r = await runChild(policy, level);
      const p = r.byPriority;
      console.log(
        `| ${level} | ${policy} | ${f(r.textsPerSec, 1)} | ${f(r.usefulTokensPerSec)} | ${r.refused} | ${f(p.critical.p95Ms)} / ${f(p.critical.p99Ms)} | ${f(p.normal.p95Ms)} / ${f(p.normal.p99Ms)} | ${f(p.background.p95Ms)} / ${f(p.background.p99Ms)} | ${f(p.critical.slo * 100)}% / ${f(p.normal.slo * 100)}% / ${f(p.background.slo * 100)}% | ${f(r.paddingShare * 100, 1)}% | ${f(r.meanBatch, 1)} | ${f(r.peakRssMiB)} | ${r.learner} |`,
      );
    }
  }
}

await main();
