import { Command, CommanderError } from 'commander';
import { isEmbedlineError } from '../../core/errors.js';
import { EXIT } from './exitCodes.js';
import { registerModelCommands } from './modelCommands.js';

const program = new Command('embedline')
  .description('Fast, correct text embeddings: HTTP API, batch files, SQS workers')
  .exitOverride()
  .showHelpAfterError();

registerModelCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.stderr.write(`embedline: ${isEmbedlineError(error) ? `[${error.code}] ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = isEmbedlineError(error) && error.code === 'EMBEDLINE_CONFIG' ? EXIT.usage : EXIT.failure;
  }
}
