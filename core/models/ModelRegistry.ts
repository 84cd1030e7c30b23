import type { ContainerModule } from 'inversify';
import type { EmbedlineConfig } from '../config/schema.js';
import { EmbedlineError, toEmbedlineError } from '../errors.js';
import type { PluginCatalogue } from '../plugin.js';
import { startEmbedline, type EmbedlineRuntime } from '../runtime.js';
import { modelScopedCatalogue } from './modelScopedCatalogue.js';
import { servedModelSpecs, type ServedModelSpec } from './servedModels.js';

/** Where a served model is: `lazy` waits for its first request; a `failed` one loads again on the next. */
export type ServedModelState = 'lazy' | 'loading' | 'loaded' | 'failed';

export interface ServedModelStatus {
  readonly id: string;
  readonly name: string;
  readonly variant: string;
  readonly lazy: boolean;
  readonly state: ServedModelState;
  /** Why the last load failed (state `failed`). */
  readonly error?: { readonly code: string; readonly message: string } | undefined;
}

/** Starts one model's runtime; the registry's default is `startEmbedline` with the spec's config. */
export type StartModel = (spec: ServedModelSpec) => Promise<EmbedlineRuntime>;

interface Entry {
  readonly spec: ServedModelSpec;
  state: ServedModelState;
  runtime?: EmbedlineRuntime;
  loading?: Promise<EmbedlineRuntime>;
  error?: EmbedlineError;
}

/**
 * Every model the process serves, each its own started runtime (container, sessions, batcher,
 * precision policy, plugin instances, metrics label). Eager models load in `start()`; a lazy one
 * on its first `runtime(id)`, concurrent first requests sharing one load. A failed lazy load is
 * a typed EMBEDLINE_NOT_READY naming the cause, kept for `/health`, and tried again on the next
 * request; it never takes the other models down.
 *
 * @example
 * const models = ModelRegistry.fromConfig(config, PLUGIN_CATALOGUE, (spec) => [observerModule(metrics.forModel(spec.id))]);
 * await models.start();
 * const { pipeline } = await models.runtime('bge-small-en-v1.5');
 */
export class ModelRegistry {
  private readonly entries = new Map<string, Entry>();
  private closing: Promise<void> | undefined;

  constructor(specs: readonly ServedModelSpec[], private readonly startModel: StartModel) {
    if (specs.length === 0) throw new EmbedlineError('EMBEDLINE_CONFIG', 'No model to serve.');
    for (const spec of specs) this.entries.set(spec.id, { spec, state: spec.lazy ? 'lazy' : 'loading' });
  }

  /** The config's models, each started by `startEmbedline` with its own config and the modules `modulesFor` gives it. */
  static fromConfig(config: Readonly<EmbedlineConfig>, catalogue: PluginCatalogue, modulesFor: (spec: ServedModelSpec) => readonly ContainerModule[] = () => []): ModelRegistry {
    const specs = servedModelSpecs(config);
    // One model keeps the configured paths as they are; with several, each persists its own state.
    const catalogueFor = (spec: ServedModelSpec): PluginCatalogue => (specs.length > 1 ? modelScopedCatalogue(catalogue, spec.id) : catalogue);
    return new ModelRegistry(specs, (spec) => startEmbedline(spec.config, catalogueFor(spec), modulesFor(spec)));
  }

  /** Served ids in config order; the first answers requests that name no model. */
  get ids(): readonly string[] {
    return [...this.entries.keys()];
  }

  get defaultId(): string {
    return this.ids[0]!;
  }

  get specs(): readonly ServedModelSpec[] {
    return [...this.entries.values()].map((e) => e.spec);
  }

  /**
   * Loads every non-lazy model, one after another (each start already uses every core for its
   * sessions). If one fails, those already started are closed and the error is thrown: a
   * process whose configured eager model cannot load must not start.
   */
  async start(): Promise<void> {
    try {
      for (const entry of this.entries.values()) if (!entry.spec.lazy) await this.load(entry);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /**
   * The runtime serving `id` (undefined: the default model), loading a lazy one first.
   * Unknown ids: EMBEDLINE_MODEL_NOT_FOUND naming the served ones.
   */
  async runtime(id?: string): Promise<EmbedlineRuntime> {
    const entry = this.entry(id);
    if (entry.runtime) return entry.runtime;
    // An eager model loads in start(); until then the server says so (503 + Retry-After), as with one model.
    if (!entry.spec.lazy) throw new EmbedlineError('EMBEDLINE_NOT_READY', `The model "${entry.spec.id}" is still loading; retry shortly.`, { model: entry.spec.id, retryAfterSeconds: 2 });
    return this.load(entry);
  }

  /** The runtime if it is loaded now, without loading anything (metrics, health). */
  loaded(id?: string): EmbedlineRuntime | undefined {
    return this.entry(id).runtime;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  spec(id?: string): ServedModelSpec {
    return this.entry(id).spec;
  }

  status(): ServedModelStatus[] {
    return [...this.entries.values()].map(({ spec, state, error }) => ({
      id: spec.id,
      name: spec.name,
      variant: spec.variant,
      lazy: spec.lazy,
      state,
      ...(error ? { error: { code: String(error.context.cause ?? error.code), message: error.message } } : {}),
    }));
  }

  /** Every loaded runtime, in config order. */
  loadedRuntimes(): { readonly id: string; readonly runtime: EmbedlineRuntime }[] {
    return [...this.entries.values()].flatMap((e) => (e.runtime ? [{ id: e.spec.id, runtime: e.runtime }] : []));
  }

  /** Drains and stops every loaded model (and one still loading, once it has loaded). */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      const entries = [...this.entries.values()];
      await Promise.all(
        entries.map(async (entry) => {
          const runtime = entry.runtime ?? (await entry.loading?.catch(() => undefined));
          await runtime?.close();
        }),
      );
    })());
  }

  private entry(id: string | undefined): Entry {
    const entry = this.entries.get(id ?? this.defaultId);
    if (!entry) {
      throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `The model ${JSON.stringify(id)} is not served here; this server serves ${this.ids.map((i) => `"${i}"`).join(', ')}.`, { model: id, served: this.ids });
    }
    return entry;
  }

  private load(entry: Entry): Promise<EmbedlineRuntime> {
    if (this.closing) return Promise.reject(new EmbedlineError('EMBEDLINE_SHUTTING_DOWN', 'The server is shutting down and loads no model.'));
    entry.loading ??= (async () => {
      entry.state = 'loading';
      try {
        // Never synchronously: `loading` must be set before this settles, or a failure would stick.
        const runtime = await Promise.resolve().then(() => this.startModel(entry.spec));
        entry.runtime = runtime;
        entry.state = 'loaded';
        delete entry.error;
        return runtime;
      } catch (cause) {
        entry.state = 'failed';
        entry.error = loadFailure(entry.spec, cause);
        throw entry.spec.lazy ? entry.error : toEmbedlineError(cause);
      } finally {
        delete entry.loading;
      }
    })();
    return entry.loading;
  }
}

/**
 * A lazy model that could not load answers 503 (retry later: the next request loads it again),
 * never the cause's own status: a missing model file is the server's problem, not a 404 for the
 * caller, who named a model the server does serve.
 */
function loadFailure(spec: ServedModelSpec, cause: unknown): EmbedlineError {
  const error = toEmbedlineError(cause);
  return new EmbedlineError('EMBEDLINE_NOT_READY', `The model "${spec.id}" failed to load (${error.code}: ${error.message}); the next request for it tries again.`, { model: spec.id, cause: error.code, retryAfterSeconds: 5 }, { cause });
}
