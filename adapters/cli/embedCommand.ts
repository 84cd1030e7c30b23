import { Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../../core/config/loadConfig.js';
import { EmbedlineError } from '../../core/errors.js';
import { PRECISION_POLICY, type PrecisionPolicy, type ResolvedPrecision } from '../../core/ports/PrecisionPolicy.js';
import { servedModelSpecs, withModelFlags } from '../../core/models/servedModels.js';
import { startEmbedline } from '../../core/runtime.js';
import { isPriority, type Priority } from '../../core/pipeline/types.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';
import { readInputs, type InputFormat, type InputRow } from './embed/readInputs.js';
import { embedChunks, FILE_JOB_CHUNK_TIMEOUT_MS, type ChunkEmbedder } from './embed/embedChunks.js';
import { integerFlag } from './flagParsers.js';
import { UsageError } from './usageError.js';
import { embeddingLine, JsonlWriter, NpyWriter, type EmbeddingWriter } from './embed/outputWriters.js';

interface EmbedOptions {
  output?: string;
  format?: InputFormat;
  column: string;
  idColumn: string;
  resume?: boolean;
  chunk: number;
  concurrency: number;
  priority: string;
  precision?: string;
  model?: string;
  inputType?: 'query' | 'document';
  promptName?: string;
}

/** `embedline embed <file>`: a whole file through the pipeline, in order, resumable. */
export function registerEmbedCommand(program: Command): void {
  program
    .command('embed')
    .argument('<file>', 'input: .txt (one text per line), .jsonl (a "text" field) or .csv (--column)')
    .description('embed a file to JSONL ({"id","embedding"} per line) or .npy, with progress on stderr')
    .option('-o, --output <path>', 'output file (.jsonl or .npy); default: JSONL on stdout')
    .addOption(new Option('--format <format>', 'input format (default: from the extension)').choices(['txt', 'jsonl', 'csv']))
    .option('--column <name>', 'text field/column for JSONL and CSV', 'text')
    .option('--id-column <name>', 'id field/column (default: line number)', 'id')
    .option('--resume', 'skip ids already in --output (JSONL only) and append the rest')
    .option('--chunk <n>', 'texts per pipeline call', integerFlag(1, 100_000), 256)
    .option('--concurrency <n>', 'pipeline calls in flight', integerFlag(1, 256), 4)
    .option('--priority <p>', 'critical | normal | background', 'background')
    .option('--precision <name>', 'precision to embed at (fp32; with the precision plugin also float16, int16, int8, uint8, binary, ubinary); default: the priority\'s')
    .option('--model <name>', 'a served model\'s id from config `models`, or a catalogue name or directory (default: the first served model)')
    .addOption(new Option('--input-type <type>', 'the texts\' role, for models with query/document prompts').choices(['query', 'document']))
    .option('--prompt-name <name>', 'one of the model\'s prompts by name, prefixed to every text')
    .action(async (file: string, options: EmbedOptions) => {
      if (!isPriority(options.priority)) throw usage(`--priority must be critical, normal or background`);
      if (options.resume && !options.output?.endsWith('.jsonl')) throw usage('--resume needs --output <file>.jsonl');
      const rows = await readInputs(file, { format: options.format, column: options.column, idColumn: options.idColumn });
      const runtime = await startEmbedline(embedModelConfig(loadConfig(process.env), options.model), PLUGIN_CATALOGUE);
      try {
        // Resolved once up front: the .npy header needs the format, and a bad name fails before any work.
        const served = servedPrecision(await runtime.container.getAsync(PRECISION_POLICY), options);
        process.stderr.write(`precision ${served.name} (model ${served.variant}, ${served.format} vectors)\n`);
        const { writer, todo } = await openWriter(options, rows, runtime.pipeline.dimensions, served);
        await embedRows(todo, writer, runtime.pipeline, options, rows.length - todo.length, rows.length);
        await writer.close();
      } finally {
        await runtime.close();
      }
    });
}

/**
 * The one model a file is embedded with: `--model` names a served id from config `models` (its
 * variant and truncation come along) or else a catalogue name or directory; without it, the first
 * served model.
 */
function embedModelConfig(config: ReturnType<typeof loadConfig>, model: string | undefined): ReturnType<typeof loadConfig> {
  const served = servedModelSpecs(config);
  const spec = model === undefined ? served[0]! : (served.find((s) => s.id === model) ?? servedModelSpecs(withModelFlags(config, [model]))[0]!);
  return spec.config;
}

function usage(message: string): UsageError {
  return new UsageError(message);
}

/** The precision the run is served at; an unknown name is a usage error naming the valid ones. */
function servedPrecision(policy: PrecisionPolicy, options: EmbedOptions): ResolvedPrecision {
  try {
    return policy.resolve(options.precision, options.priority as Priority);
  } catch (error) {
    if (error instanceof EmbedlineError && error.code === 'EMBEDLINE_UNKNOWN_PRECISION') throw usage(`--precision: ${error.message}`);
    throw error;
  }
}

async function openWriter(options: EmbedOptions, rows: readonly InputRow[], dim: number, served: ResolvedPrecision): Promise<{ writer: EmbeddingWriter; todo: InputRow[] }> {
  if (options.output?.endsWith('.npy')) return { writer: await NpyWriter.open(options.output, rows.length, dim, served.format), todo: [...rows] };
  if (options.output) {
    const { writer, done } = await JsonlWriter.open(options.output, options.resume ?? false, served.name);
    return { writer, todo: rows.filter((r) => !done.has(r.id)) };
  }
  return { writer: stdoutWriter(served.name), todo: [...rows] };
}

function stdoutWriter(precision: string): EmbeddingWriter {
  return {
    write: async (id, vector) => void process.stdout.write(embeddingLine(id, vector, precision)),
    close: async () => {},
  };
}

/** Keeps `concurrency` chunks in flight and writes results strictly in input order. */
async function embedRows(rows: readonly InputRow[], writer: EmbeddingWriter, pipeline: ChunkEmbedder, options: EmbedOptions, alreadyDone: number, total: number): Promise<void> {
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'embedding [{bar}] {value}/{total} texts | {rate} texts/s | ETA {eta_formatted}',
    noTTYOutput: true,
    notTTYSchedule: 2000,
    etaBuffer: 20,
  });
  const started = Date.now();
  bar.start(total, alreadyDone, { rate: '0' });
  let written = 0;
  const chunks = embedChunks(pipeline, rows.map((r) => r.text), { chunk: options.chunk, concurrency: options.concurrency, priority: options.priority as Priority, precision: options.precision, timeoutMs: FILE_JOB_CHUNK_TIMEOUT_MS, prompt: { inputType: options.inputType, promptName: options.promptName } });
  for await (const { start, quantized: vectors } of chunks) {
    for (let i = 0; i < vectors.length; i++) await writer.write(rows[start + i]!.id, vectors[i]!);
    written += vectors.length;
    bar.update(alreadyDone + written, { rate: ((written * 1000) / Math.max(1, Date.now() - started)).toFixed(1) });
  }
  bar.stop();
  process.stderr.write(`embedded ${written} texts in ${((Date.now() - started) / 1000).toFixed(1)} s (${alreadyDone} already done)\n`);
}
