import { loadConfig } from '../../core/config/loadConfig.js';
import { startEmbedline } from '../../core/runtime.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';

/**
 * The same texts, in the same groups, straight into an in-process pipeline (every call submitted
 * at once, as a flooded worker would): the ceiling the SQS path is measured against.
 */
export async function pipelineTextsPerSecond(groups: readonly (readonly string[])[]): Promise<number> {
  const runtime = await startEmbedline(loadConfig(process.env), PLUGIN_CATALOGUE);
  try {
    await Promise.all(groups.slice(0, 20).map((texts) => runtime.pipeline.embed(texts, { timeoutMs: 600_000 })));
    const started = performance.now();
    await Promise.all(groups.map((texts) => runtime.pipeline.embed(texts, { timeoutMs: 600_000 })));
    const texts = groups.reduce((sum, g) => sum + g.length, 0);
    return (texts * 1000) / (performance.now() - started);
  } finally {
    await runtime.close();
  }
}
