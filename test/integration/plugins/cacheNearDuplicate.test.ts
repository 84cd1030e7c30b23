import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmbedlineError } from '../../../core/errors.js';
import type { NearDuplicateCalibration } from '../../../plugins/cache/neardup/calibrationFile.js';
import type { NearDuplicateConfig } from '../../../plugins/cache/neardup/nearDuplicateConfig.js';
import { NearDuplicateStage } from '../../../plugins/cache/neardup/NearDuplicateStage.js';
import { NgramSketcher } from '../../../plugins/cache/neardup/NgramSketcher.js';
import type { NearDuplicateStream } from '../../../plugins/cache/redis/NearDuplicateStream.js';
import { NEAR_DUPLICATE_STREAM } from '../../../plugins/cache/tokens.js';
import { runCli } from '../../support/cli.js';
import { startRedis, type LocalRedis } from '../../support/redis.js';
import { startCachedRuntime, type CachedRuntime } from './cacheSupport.js';
import { pluginRegistries } from '../../../core/runtime.js';
import { exposedSampleNames, metricNamesRead } from '../observability/support/metricNames.js';

// Real model, real FAISS (faiss-node built by npm test's pretest), real redis-server. The
// calibration file is made by the real CLI on these texts, as an operator would on theirs.

const PAIRS: [string, string][] = [
  ['This package contains the development files for the GNU C Library, the headers and static archives.', 'This package contains the development files for the GNU C Library, the header and static archives.'],
  ['A fast, lightweight terminal emulator for the X Window System with Unicode and true colour support.', 'A fast, lightweight terminal emulator for the X Window System, with Unicode and true colour support.'],
  ['Python bindings for the libxml2 library, which parses and validates XML documents against schemas.', 'Python bindings for the libxml2 library which parses and validates XML documents against schemas.'],
  ['Command line tools to inspect, convert and optimise PNG images without loss of quality.', 'Command line tools to inspect, convert and optimize PNG images without loss of quality.'],
  ['Documentation for the PostgreSQL database server, in HTML, covering installation and administration.', 'Documentation for the PostgreSQL database server in HTML, covering installation and administration.'],
];
const THRESHOLD = 0.9;
/** A tail of some 2,000 words, shared by two long texts. */
const LONG_TAIL = Array.from({ length: 700 }, (_, i) => `shared tail word${i % 50}`).join(' ');

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cache near-duplicate tier on the real model', () => {
  let dir: string;
  let calibrationFile: string;
  let calibration: NearDuplicateCalibration;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedline-near-'));
    const texts = join(dir, 'traffic.txt');
    await writeFile(texts, PAIRS.flat().join('\n') + '\n');
    calibrationFile = join(dir, 'calibration.json');
    const result = await runCli(['cache', 'calibrate-near-duplicates', '--texts', texts, '--out', calibrationFile, '--thresholds', `0.5,${THRESHOLD}`]);
    expect(result.code, result.stderr).to.equal(0);
    calibration = JSON.parse(await readFile(calibrationFile, 'utf8')) as NearDuplicateCalibration;
  });

  /** Enabled at τ with the bound the calibration measured (an operator's choice it meets). */
  function enabled(extra: Partial<NearDuplicateConfig> = {}): Record<string, unknown> {
    const row = calibration.rows.find((r) => r.threshold === THRESHOLD)!;
    return { enabled: true, threshold: THRESHOLD, calibrationFile, minCalibrationHits: 1, errorBound: { p1Cosine: row.cosine!.p1 }, ...extra };
  }

  it('calibrates with the real model: every pair is a near hit at τ, and the served cosine is measured', () => {
    const row = calibration.rows.find((r) => r.threshold === THRESHOLD)!;
    expect(calibration).to.deep.include({ kind: 'embedline.near-duplicate-calibration', texts: 10, textHits: 0, tokenHits: 0, sketch: 'ngram:n=5:d=256' });
    expect(row.hits).to.equal(PAIRS.length);
    expect(row.cosine!.min).to.be.greaterThan(0.9).and.at.most(row.cosine!.mean);
  });

  it('refuses to start without a calibration, or with a bound the calibration does not meet', async () => {
    for (const nearDuplicate of [{ enabled: true }, enabled({ errorBound: { p1Cosine: Math.min(1, calibration.rows[1]!.cosine!.p1 + 0.001) } })]) {
      const error = await startCachedRuntime({ nearDuplicate }).then(
        async (started) => (await started.close(), undefined),
        (e: unknown) => e,
      );
      expect(isEmbedlineError(error) && error.code).to.equal('EMBEDLINE_CONFIG');
    }
  });

  describe('enabled', () => {
    let cached: CachedRuntime;
    let stage: NearDuplicateStage;
    before(async () => {
      cached = await startCachedRuntime({ nearDuplicate: enabled() });
      stage = await cached.runtime.container.getAsync(NearDuplicateStage);
    });
    after(() => cached?.close());

    it('serves a near-duplicate its neighbour’s vector, marked cache-near, and counts it by priority', async () => {
      const [original, variant] = PAIRS[0]!;
      const first = await cached.runtime.pipeline.embed([original]);
      const computed = cached.modelTexts();
      const indexed = stage.tier.size;

      const second = await cached.runtime.pipeline.embed([variant], { priority: 'background' });

      expect(second.sources).to.deep.equal(['cache-near']);
      expect(Array.from(second.vectors[0]!.values)).to.deep.equal(Array.from(first.vectors[0]!.values));
      expect(cached.modelTexts()).to.equal(computed);
      expect(await cached.metric('embedline_cache_near_hits_total', { priority: 'background' })).to.equal(1);
      expect(await cached.metric('embedline_cache_near_served_similarity_count')).to.equal(1);
      // Only true vectors are indexed: the text served approximately is not.
      expect(stage.tier.size).to.equal(indexed);
    });

    it('never serves a critical request', async () => {
      const [original, variant] = PAIRS[1]!;
      await cached.runtime.pipeline.embed([original]);
      const critical = await cached.runtime.pipeline.embed([variant], { priority: 'critical' });
      expect(critical.sources).to.deep.equal(['computed']);
    });

    it('sketches the window the model sees: texts sharing only a long tail past the truncation point are not near-duplicates', async () => {
      // Each prefix alone fills the window (15 sentences, over 300 word pieces); the tail lies wholly past it.
      const a = `${Array(15).fill(PAIRS[2]![0]).join(' ')} ${LONG_TAIL}`;
      const b = `${Array(15).fill(PAIRS[3]![0]).join(' ')} ${LONG_TAIL}`;
      // On the whole texts the tail dominates: a sketch of them would serve one for the other.
      const whole = new NgramSketcher(5, 256);
      expect(whole.similarity(whole.sketch(a.toLowerCase()), whole.sketch(b.toLowerCase()))).to.be.at.least(THRESHOLD);

      await cached.runtime.pipeline.embed([a]);
      const result = await cached.runtime.pipeline.embed([b]);

      expect(result.sources).to.deep.equal(['computed']);
    });
  });

  it('drops an entry from its index when the exact LRU evicts it', async () => {
    // About three texts' worth of entries (each text: a text key and a token key, ~1,700 bytes each).
    const small = await startCachedRuntime({ exact: { maxBytes: 6 * 1_700 + 100 }, nearDuplicate: enabled() });
    try {
      const stage = await small.runtime.container.getAsync(NearDuplicateStage);
      await small.runtime.pipeline.embed([PAIRS[0]![0]]);
      for (const [original] of PAIRS.slice(1)) await small.runtime.pipeline.embed([original]);

      expect(stage.tier.size).to.be.at.most(3);
      expect((await small.runtime.pipeline.embed([PAIRS[0]![1]])).sources).to.deep.equal(['computed']);
      expect((await small.runtime.pipeline.embed([PAIRS[4]![1]])).sources).to.deep.equal(['cache-near']);
    } finally {
      await small.close();
    }
  });

  describe('shared through a Redis Stream between two instances', () => {
    let redis: LocalRedis;
    let a: CachedRuntime;
    let b: CachedRuntime;
    let streams: NearDuplicateStream[];
    let stageB: NearDuplicateStage;

    before(async () => {
      redis = await startRedis();
      const cache = { redis: { url: redis.url, maxReconnectDelayMs: 100, commandTimeoutMs: 1_000 }, nearDuplicate: enabled({ announce: { enabled: true, maxLen: 1_000, blockMs: 200, from: 'backlog' } }) };
      [a, b] = await Promise.all([startCachedRuntime(cache), startCachedRuntime(cache)]);
      await Promise.all([a.stage.cache.shared!.whenUp(), b.stage.cache.shared!.whenUp()]);
      streams = (await Promise.all([a, b].map((r) => r.runtime.container.getAsync(NEAR_DUPLICATE_STREAM)))).map((s) => s!);
      stageB = await b.runtime.container.getAsync(NearDuplicateStage);
    });

    after(async () => {
      await Promise.all((streams ?? []).map((s) => s.close()));
      await Promise.all([a?.close(), b?.close()]);
      await redis?.stop();
    });

    async function computedByAThenNearInB(pair: [string, string]): Promise<void> {
      const before = stageB.tier.size;
      const fromA = await a.runtime.pipeline.embed([pair[0]]);
      await until(() => stageB.tier.size > before, 'B to add A’s announced entry');
      const computedByB = b.modelTexts();

      const fromB = await b.runtime.pipeline.embed([pair[1]]);

      expect(fromB.sources).to.deep.equal(['cache-near']);
      expect(Array.from(fromB.vectors[0]!.values)).to.deep.equal(Array.from(fromA.vectors[0]!.values));
      expect(b.modelTexts()).to.equal(computedByB);
    }

    it('adds what a peer announces, fetching its vector through the shared exact tier, and records the lag', async () => {
      await computedByAThenNearInB(PAIRS[0]!);
      expect(await b.metric('embedline_cache_near_announcements_total', { outcome: 'added' })).to.be.at.least(1);
      expect(await b.metric('embedline_cache_near_announcement_lag_seconds_count')).to.be.at.least(1);
      expect(await a.metric('embedline_cache_near_announcements_total', { outcome: 'sent' })).to.be.at.least(1);
      const page = (await Promise.all(pluginRegistries(b.runtime).map((r) => r.metrics()))).join('\n');
      const exposed = exposedSampleNames(page);
      expect(metricNamesRead().filter((name) => name.startsWith('embedline_cache_near_') && !exposed.has(name)), 'near-duplicate metrics the dashboard reads').to.deep.equal([]);
    });

    it('keeps serving near-duplicates locally while Redis is down, and resumes reading when it is back', async () => {
      await redis.stop();
      await a.logged(/Redis at .* lost/);
      await a.runtime.pipeline.embed([PAIRS[1]![0]]);
      expect((await a.runtime.pipeline.embed([PAIRS[1]![1]])).sources).to.deep.equal(['cache-near']);

      await redis.restart();
      await Promise.all([a.stage.cache.shared!.whenUp(), b.stage.cache.shared!.whenUp()]);
      // Redis came back empty: the reader starts again at the stream's beginning.
      await computedByAThenNearInB(PAIRS[2]!);
      expect(a.logLines.filter((l) => /reachable again/.test(l))).to.have.length(1);
    });
  });
});
