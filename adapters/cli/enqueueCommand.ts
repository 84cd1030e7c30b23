import { Option, type Command } from 'commander';
import { basename } from 'node:path';
import { loadConfig } from '../../core/config/loadConfig.js';
import { EmbedlineError } from '../../core/errors.js';
import { isPriority } from '../../core/pipeline/types.js';
import { buildMessages, defaultIdPrefix } from '../sqs/enqueue/buildMessages.js';
import { sendInBatches } from '../sqs/enqueue/sendInBatches.js';
import { createSqsClient } from '../sqs/createSqsClient.js';
import { readInputs, type InputFormat } from './embed/readInputs.js';
import { integerFlag } from './flagParsers.js';
import { UsageError } from './usageError.js';

interface EnqueueFlags {
  queueUrl?: string;
  format?: InputFormat;
  column: string;
  idColumn: string;
  textsPerMessage: number;
  idPrefix?: string;
  priority?: string;
  concurrency: number;
  model?: string;
  inputType?: 'query' | 'document';
  promptName?: string;
}

/** `embedline enqueue <file>`: a file's texts as version-1 messages on the requests queue (no model needed). */
export function registerEnqueueCommand(program: Command): void {
  program
    .command('enqueue')
    .argument('<file>', 'input: .txt (one text per line), .jsonl (a "text" field) or .csv (--column)')
    .description('send a file to the SQS requests queue as embedding messages, 10 per SendMessageBatch (docs/sqs.md)')
    .option('--queue-url <url>', 'requests queue (default from config: EMBEDLINE_QUEUE_URL)')
    .addOption(new Option('--format <format>', 'input format (default: from the extension)').choices(['txt', 'jsonl', 'csv']))
    .option('--column <name>', 'text field/column for JSONL and CSV', 'text')
    .option('--id-column <name>', 'id field/column (default: line number)', 'id')
    .option('--texts-per-message <n>', 'texts in each message', integerFlag(1), 1)
    .option('--id-prefix <prefix>', 'prefix of every message id (default: the file name without extension and "-")')
    .option('--priority <p>', 'critical | normal | background (default: the consumer\'s sqs.defaultPriority)')
    .option('--concurrency <n>', 'SendMessageBatch calls in flight', integerFlag(1, 64), 4)
    .option('--model <id>', 'served model id the consumer embeds with (default: the consumer\'s first)')
    .addOption(new Option('--input-type <type>', 'the texts\' role, for models with query/document prompts').choices(['query', 'document']))
    .option('--prompt-name <name>', 'one of the model\'s prompts by name')
    .action(async (file: string, flags: EnqueueFlags) => {
      const config = loadConfig(process.env);
      const queueUrl = flags.queueUrl || config.sqs.queueUrl;
      if (!queueUrl || !URL.canParse(queueUrl)) throw usage(`enqueue needs a queue URL: pass --queue-url or set EMBEDLINE_QUEUE_URL (got "${queueUrl ?? ''}").`);
      if (!(flags.textsPerMessage >= 1 && flags.textsPerMessage <= config.sqs.maxTextsPerMessage)) throw usage(`--texts-per-message must be 1..${config.sqs.maxTextsPerMessage} (sqs.maxTextsPerMessage)`);
      if (flags.priority !== undefined && !isPriority(flags.priority)) throw usage('--priority must be critical, normal or background');
      const rows = await readInputs(file, { format: flags.format, column: flags.column, idColumn: flags.idColumn });
      const messages = buildMessages(rows, {
        textsPerMessage: flags.textsPerMessage,
        idPrefix: flags.idPrefix ?? defaultIdPrefix(file),
        priority: flags.priority as Parameters<typeof buildMessages>[1]['priority'],
        source: basename(file),
        model: flags.model,
        inputType: flags.inputType,
        promptName: flags.promptName,
        maxMessageBytes: config.sqs.maxMessageBytes,
      });
      const sqs = createSqsClient(config.sqs);
      const startedAt = Date.now();
      let sent = 0;
      try {
        await sendInBatches(sqs, queueUrl, messages, {
          maxBatchBytes: config.sqs.maxMessageBytes,
          retry: { attempts: config.sqs.retryAttempts, baseMs: config.sqs.retryBaseMs },
          concurrency: flags.concurrency,
          onSent: (n) => void (sent += n),
        });
      } finally {
        sqs.destroy();
        process.stderr.write(`enqueued ${sent}/${messages.length} messages (${rows.length} texts) to ${queueUrl} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
      }
    });
}

function usage(message: string): UsageError {
  return new UsageError(message);
}
