import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbedlineError } from '../errors.js';
import { MODEL_FILES } from './catalogue.js';

/** How token vectors become one text vector: sentence-transformers' Pooling modes that Embedline runs. */
export const POOLING_MODES = ['mean', 'cls', 'max', 'lasttoken'] as const;
export type PoolingMode = (typeof POOLING_MODES)[number];

/** What the inference worker does after the graph: pool, then (a Normalize module) L2-normalize. */
export interface PoolingSpec {
  readonly mode: PoolingMode;
  readonly normalize: boolean;
}

/** MiniLM's (and the worker's default): Pooling(mean) + Normalize. */
export const MEAN_NORMALIZED: PoolingSpec = Object.freeze({ mode: 'mean', normalize: true });

/**
 * What a sentence-transformers model directory says about computing a vector, read from its own
 * files (modules.json → 1_Pooling/config.json and the Normalize module; sentence_bert_config.json;
 * config_sentence_transformers.json), with prompts the catalogue declares for a model whose files
 * have none.
 */
export interface ModelDefinition {
  readonly pooling: PoolingSpec;
  /** sentence-transformers' max_seq_length: the truncation (word pieces incl. [CLS]/[SEP]). */
  readonly maxSeqLength: number;
  /** sentence_bert_config.json's do_lower_case: the text (prompt included) is lower-cased before tokenizing. */
  readonly doLowerCase: boolean;
  /** Prompt name → text prefixed to the input (`query` → `query: `); empty for a model without prompts. */
  readonly prompts: Readonly<Record<string, string>>;
  /** The prompt used when a request names none (config_sentence_transformers.json's default_prompt_name). */
  readonly defaultPromptName: string | undefined;
  /** Where the prompts came from: the model's file, the catalogue entry, or nowhere. */
  readonly promptsFrom: 'config_sentence_transformers.json' | 'catalogue' | 'none';
}

/** Prompts a catalogue entry declares for a model whose files lack them. */
export interface DeclaredPrompts {
  readonly prompts?: Readonly<Record<string, string>> | undefined;
  readonly defaultPromptName?: string | undefined;
}

interface ModuleEntry {
  readonly idx?: number;
  readonly path?: string;
  readonly type?: string;
}

const MODULE = {
  transformer: 'sentence_transformers.models.Transformer',
  pooling: 'sentence_transformers.models.Pooling',
  normalize: 'sentence_transformers.models.Normalize',
} as const;

/** 1_Pooling/config.json keys → our mode; the remaining sentence-transformers modes are refused by name. */
const POOLING_KEYS: Readonly<Record<string, PoolingMode>> = {
  pooling_mode_mean_tokens: 'mean',
  pooling_mode_cls_token: 'cls',
  pooling_mode_max_tokens: 'max',
  pooling_mode_lasttoken: 'lasttoken',
};
const UNSUPPORTED_POOLING_KEYS = ['pooling_mode_mean_sqrt_len_tokens', 'pooling_mode_weightedmean_tokens'] as const;

/**
 * Reads the model definition of `dir`. Any file that is missing, unreadable, or says something
 * Embedline would not compute exactly (another module, two pooling modes, a width or length that
 * disagrees with config.json) fails with a typed error naming the file, rather than serving
 * vectors that differ from the model's own.
 *
 * @example
 * const definition = await readModelDefinition(dir, 384, 512, { prompts: { query: 'query: ', passage: 'passage: ' } });
 * definition.pooling; // { mode: 'mean', normalize: true }
 */
export async function readModelDefinition(dir: string, hiddenSize: number, maxPositions: number, declared: DeclaredPrompts = {}): Promise<ModelDefinition> {
  const modules = await requireJson<ModuleEntry[]>(dir, MODEL_FILES.modules);
  if (!Array.isArray(modules) || modules.length === 0) fail(dir, MODEL_FILES.modules, 'is not a non-empty list of modules');
  const ordered = [...modules].sort((a, b) => (a.idx ?? 0) - (b.idx ?? 0));
  if (ordered[0]?.type !== MODULE.transformer) fail(dir, MODEL_FILES.modules, `must start with ${MODULE.transformer}, found ${ordered[0]?.type ?? 'nothing'}`);
  const rest = ordered.slice(1);
  const types = rest.map((m) => m.type);
  const expected = types.length === 1 ? [MODULE.pooling] : [MODULE.pooling, MODULE.normalize];
  if (types.length < 1 || types.length > 2 || types.some((t, i) => t !== expected[i])) {
    fail(dir, MODEL_FILES.modules, `lists ${types.join(', ') || 'no module'} after the Transformer; Embedline computes Transformer → Pooling [→ Normalize] only`);
  }
  const poolingFile = join(rest[0]!.path ?? '1_Pooling', 'config.json').split('\\').join('/');
  const pooling = await requireJson<Record<string, unknown>>(dir, poolingFile);
  const mode = poolingModeOf(dir, poolingFile, pooling, hiddenSize);

  const sbert = await requireJson<{ max_seq_length?: unknown; do_lower_case?: unknown }>(dir, MODEL_FILES.sentenceBertConfig);
  const maxSeqLength = sbert.max_seq_length;
  if (typeof maxSeqLength !== 'number' || !Number.isInteger(maxSeqLength) || maxSeqLength < 2) fail(dir, MODEL_FILES.sentenceBertConfig, `has no valid max_seq_length (${JSON.stringify(maxSeqLength)})`);
  if (maxSeqLength > maxPositions) fail(dir, MODEL_FILES.sentenceBertConfig, `says max_seq_length ${maxSeqLength}, more than config.json's max_position_embeddings ${maxPositions}`);
  if (sbert.do_lower_case !== undefined && typeof sbert.do_lower_case !== 'boolean') fail(dir, MODEL_FILES.sentenceBertConfig, 'has a do_lower_case that is not true or false');

  const prompts = await promptsOf(dir, declared);
  return { pooling: { mode, normalize: types.length === 2 }, maxSeqLength, doLowerCase: sbert.do_lower_case === true, ...prompts };
}

function poolingModeOf(dir: string, file: string, config: Record<string, unknown>, hiddenSize: number): PoolingMode {
  if (config.word_embedding_dimension !== undefined && config.word_embedding_dimension !== hiddenSize) {
    fail(dir, file, `says word_embedding_dimension ${String(config.word_embedding_dimension)}, config.json's hidden_size is ${hiddenSize}`);
  }
  const unsupported = UNSUPPORTED_POOLING_KEYS.filter((key) => config[key] === true);
  if (unsupported.length > 0) fail(dir, file, `enables ${unsupported.join(', ')}; Embedline pools with ${POOLING_MODES.join(', ')} only`);
  if (config.include_prompt === false) fail(dir, file, 'sets include_prompt false (prompt tokens left out of pooling), which Embedline does not compute');
  const modes = Object.entries(POOLING_KEYS).filter(([key]) => config[key] === true).map(([, mode]) => mode);
  if (modes.length !== 1) fail(dir, file, modes.length === 0 ? 'enables no pooling mode' : `enables ${modes.join(' and ')} at once (a concatenated vector), which Embedline does not compute`);
  return modes[0]!;
}

async function promptsOf(dir: string, declared: DeclaredPrompts): Promise<Pick<ModelDefinition, 'prompts' | 'defaultPromptName' | 'promptsFrom'>> {
  const file = MODEL_FILES.sentenceTransformersConfig;
  const st = await readJson<{ prompts?: unknown; default_prompt_name?: unknown }>(dir, file);
  const own = st?.prompts;
  if (own !== undefined && (typeof own !== 'object' || own === null || Object.values(own).some((v) => typeof v !== 'string'))) fail(dir, file, 'has prompts that are not a map of names to strings');
  const ownPrompts = (own ?? {}) as Record<string, string>;
  const hasOwn = Object.keys(ownPrompts).length > 0;
  const hasDeclared = Object.keys(declared.prompts ?? {}).length > 0;
  if (hasOwn && hasDeclared) fail(dir, file, 'declares prompts, and so does the model catalogue entry; one of them must go (the files win in sentence-transformers)');
  const prompts = hasOwn ? ownPrompts : { ...(declared.prompts ?? {}) };
  const defaultPromptName = hasOwn ? st?.default_prompt_name ?? undefined : declared.defaultPromptName;
  if (defaultPromptName !== undefined && (typeof defaultPromptName !== 'string' || !(defaultPromptName in prompts))) {
    fail(dir, hasOwn || !hasDeclared ? file : 'model catalogue', `names default_prompt_name ${JSON.stringify(defaultPromptName)}, which is not one of its prompts (${Object.keys(prompts).join(', ') || 'none'})`);
  }
  return { prompts: Object.freeze(prompts), defaultPromptName: defaultPromptName as string | undefined, promptsFrom: hasOwn ? file : hasDeclared ? 'catalogue' : 'none' };
}

function fail(dir: string, file: string, problem: string): never {
  throw new EmbedlineError('EMBEDLINE_CONFIG', `The model definition in ${dir} is not usable: ${file} ${problem}.`, { dir, file: join(dir, file) });
}

async function requireJson<T>(dir: string, file: string): Promise<T> {
  const value = await readJson<T>(dir, file);
  if (value === undefined) {
    throw new EmbedlineError('EMBEDLINE_MODEL_NOT_FOUND', `The model in ${dir} has no ${file}, so its pooling and sequence length are unknown; run \`embedline model pull\` again, or add the sentence-transformers file to the directory.`, { dir, file: join(dir, file) });
  }
  return value;
}

async function readJson<T>(dir: string, file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new EmbedlineError('EMBEDLINE_CONFIG', `The model definition in ${dir} is not usable: ${file} is not valid JSON (${(error as Error).message}).`, { dir, file: join(dir, file) }, { cause: error });
  }
}
