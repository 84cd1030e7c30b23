import type { MetricsRegistry } from '../../core/ports/MetricsRegistry.js';

/** Registries that belong to one served model (its plugins' metrics). */
export interface ModelRegistries {
  readonly model: string;
  readonly registries: readonly MetricsRegistry[];
}

interface Family {
  readonly header: string[];
  readonly samples: string[];
}

/**
 * One `/metrics` page from the process-wide registries and each served model's plugin registries.
 * With several models every model's plugins register the same metric names, and a page with a
 * family's HELP/TYPE twice is invalid (promtool and Prometheus reject it); so the models' samples
 * get a `model="<id>"` label and each family is written once with all of its samples. With one
 * model nothing is relabelled: the page reads exactly as it always did. A registry shared by
 * several models' containers is read once.
 *
 * @example
 * const page = await metricsPage([pipelineMetrics.registry], [{ model: 'bge-small-en-v1.5', registries: pluginRegistries(runtime) }]);
 */
export async function metricsPage(shared: readonly MetricsRegistry[], models: readonly ModelRegistries[], labelModels = models.length > 1): Promise<string> {
  const seen = new Set<MetricsRegistry>(shared);
  const texts = await Promise.all(shared.map((r) => r.metrics()));
  for (const { model, registries } of models) {
    for (const registry of registries) {
      if (seen.has(registry)) continue;
      seen.add(registry);
      const text = await registry.metrics();
      texts.push(labelModels ? withModelLabel(text, model) : text);
    }
  }
  return mergeFamilies(texts);
}

/** Every sample line gains `model="<id>"` as its first label (ids are [A-Za-z0-9._-]: nothing to escape). */
export function withModelLabel(text: string, model: string): string {
  const label = `model="${model}"`;
  return text
    .split('\n')
    .map((line) => {
      if (line === '' || line.startsWith('#')) return line;
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{\}?)?/.exec(line);
      if (!match) return line;
      const [whole, name, braces] = match;
      const rest = line.slice(whole!.length);
      if (braces === '{}') return `${name}{${label}}${rest}`;
      if (braces === '{') return `${name}{${label},${rest}`;
      return `${name}{${label}}${rest}`;
    })
    .join('\n');
}

/** Families by name in first-seen order; the first HELP/TYPE of a name wins, samples are concatenated. */
export function mergeFamilies(texts: readonly string[]): string {
  const families = new Map<string, Family>();
  const loose: string[] = [];
  for (const text of texts) {
    let current: Family | undefined;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const header = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
      if (header) {
        const name = header[2]!;
        let family = families.get(name);
        if (!family) {
          family = { header: [], samples: [] };
          families.set(name, family);
        }
        // A second registry's HELP or TYPE for a family already written is dropped.
        if (!family.header.some((h) => h.startsWith(`# ${header[1]} `))) family.header.push(line);
        current = family;
        continue;
      }
      if (line.startsWith('#')) continue;
      (current?.samples ?? loose).push(line);
    }
  }
  const out: string[] = [];
  for (const family of families.values()) out.push(...family.header, ...family.samples);
  out.push(...loose);
  return out.join('\n') + '\n';
}
