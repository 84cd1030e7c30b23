import type { Command } from 'commander';
import { loadConfig } from '../../core/config/loadConfig.js';
import { resolvePlugins } from '../../core/container.js';
import { PLUGIN_CATALOGUE } from '../../plugins/index.js';

/** `embedline config print`: the resolved configuration and the plugins it enables. */
export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('inspect configuration');
  config
    .command('print')
    .description('print the resolved configuration (file + environment + defaults) and the plugins')
    .action(() => {
      const resolved = loadConfig(process.env);
      // The same plugin checks as start-up, so a config that cannot start is not printed as if it could.
      resolvePlugins(resolved, PLUGIN_CATALOGUE);
      const plugins = Object.values(PLUGIN_CATALOGUE).map(({ manifest }) => ({ ...manifest, enabled: resolved.plugins.includes(manifest.name) }));
      const redacted = { ...resolved, http: { ...resolved.http, apiKey: resolved.http.apiKey ? '***' : undefined }, model: { ...resolved.model, hubToken: resolved.model.hubToken ? '***' : undefined } };
      process.stdout.write(`${JSON.stringify({ config: redacted, plugins }, null, 2)}\n`);
    });
}
