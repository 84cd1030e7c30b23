import type { NearDuplicateSimulation } from './simulateNearDuplicates.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const cos = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(3));

/** A Markdown table of a simulation: per τ, the hits the tier adds and the cosine it serves. */
export function formatCalibrationTable(result: NearDuplicateSimulation, label?: string): string {
  const head = label ? '| data | sketch | τ | near hits | hit-rate gain | served cosine mean | p1 | min |\n| --- | --- | --- | --- | --- | --- | --- | --- |' : '| τ | near hits | hit-rate gain | served cosine mean | p1 | min |\n| --- | --- | --- | --- | --- | --- |';
  const rows = result.rows.map((r) => `| ${label ? `${label} | ` : ''}${r.threshold} | ${r.hits} | +${pct(r.hitRateGain)} | ${cos(r.cosine?.mean)} | ${cos(r.cosine?.p1)} | ${cos(r.cosine?.min)} |`);
  const exact = `exact tiers on ${result.texts} texts: text key ${pct(result.textHits / result.texts)}, token key +${pct(result.tokenHits / result.texts)}`;
  return [exact, head, ...rows].join('\n');
}
