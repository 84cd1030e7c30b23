import { Command, CommanderError } from 'commander';
import { isEmbedlineError } from '../../core/errors.js';
import { EXIT } from './exitCodes.js';
import { UsageError } from './usageError.js';
import { loadDotEnv } from './loadDotEnv.js';
import { registerConfigCommand } from './configCommand.js';
import { registerEmbedCommand } from './embedCommand.js';
import { registerEnqueueCommand } from './enqueueCommand.js';
import { registerModelCommands } from './modelCommands.js';
import { registerCalibrateCommand } from './calibrateCommand.js';
import { registerCacheCommands } from './cacheCommands.js';
import { registerServeCommand } from './serveCommand.js';
import { registerWorkerCommand } from './workerCommand.js';

// Before any command reads its configuration (loadConfig is the one reader of process.env).
loadDotEnv();

const program = new Command('embedline')
  .description('Fast, correct text embeddings: HTTP API, batch files, SQS workers')
  .exitOverride()
  .showHelpAfterError();

registerServeCommand(program);
registerEmbedCommand(program);
registerModelCommands(program);
registerCalibrateCommand(program);
registerCacheCommands(program);
registerConfigCommand(program);
registerWorkerCommand(program);
registerEnqueueCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof UsageError) {
    process.stderr.write(`embedline: ${error.message}\n`);
    process.exit(EXIT.usage);
  } else {
    process.stderr.write(`embedline: ${isEmbedlineError(error) ? `[${error.code}] ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
    // Invalid configuration is the caller's to fix too (exit 2); everything else is a runtime failure.
    // Exit now rather than set exitCode: a half-started runtime (worker threads, sockets) must not keep a failed process alive.
    process.exit(isEmbedlineError(error) && error.code === 'EMBEDLINE_CONFIG' ? EXIT.usage : EXIT.failure);
  }
}
