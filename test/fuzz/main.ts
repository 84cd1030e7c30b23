import { parseArgs } from 'node:util';
import { FULL_PLAN, runFuzzPlan, SLICE_PLAN } from './fuzzPlan.js';

/**
 * `npm run fuzz` (node dist/test/fuzz/main.js): the full plan, or `--slice` for the one
 * `npm test` runs, `--seed N` for other cases. Prints one line per target and a total; exits 1
 * on any failure, a changed canary vector or a worker that did not drain cleanly.
 */
const { values } = parseArgs({ options: { slice: { type: 'boolean', default: false }, seed: { type: 'string' } } });
const base = values.slice ? SLICE_PLAN : FULL_PLAN;
const plan = values.seed === undefined ? base : { ...base, seed: Number.parseInt(values.seed, 10) };
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const started = Date.now();
const run = await runFuzzPlan(plan, (line) => console.log(line));
const cases = run.reports.reduce((n, r) => n + r.cases, 0);
const failures = run.reports.reduce((n, r) => n + r.failureCount, 0);
console.log(`total: ${cases} cases, ${failures} failures in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${plan.seed}); canaries after HTTP ${run.canariesOk ? 'unchanged' : 'CHANGED'}; worker exit ${String(run.workerExit)}`);
process.exitCode = failures === 0 && run.canariesOk && run.workerExit === 0 ? 0 : 1;
