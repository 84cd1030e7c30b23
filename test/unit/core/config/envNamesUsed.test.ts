import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENV_OVERRIDES } from '../../../../core/config/envOverrides.js';
import { ERROR_CODES } from '../../../../core/errors.js';
import { repoFile } from '../../../integration/observability/support/repoFiles.js';

/**
 * Names with the prefix that are not settings: the config-file pointer, a Grafana provisioning
 * path, and the fault tests' crash trigger (read by core/encoder/crashInjection.ts, not config).
 */
const NOT_SETTINGS = new Set(['EMBEDLINE_CONFIG', 'EMBEDLINE_DASHBOARDS_DIR', 'EMBEDLINE_TEST_CRASH_TRIGGER_FILE']);

function settingNamesIn(file: string): string[] {
  const names = readFileSync(file, 'utf8').match(/\bEMBEDLINE_[A-Z0-9_]+\b/g) ?? [];
  return [...new Set(names)].filter((name) => !(name in ERROR_CODES) && !NOT_SETTINGS.has(name));
}

/**
 * A misspelt variable is silently ignored by whatever reads the environment, so a deployment or
 * a doc that sets one would run on defaults without anyone noticing (the GPU task once set
 * EMBEDLINE_EXECUTION_PROVIDER, which nothing read). Every EMBEDLINE_* name written in the CDK
 * app, env.example or the docs must be one loadConfig reads.
 */
describe('EMBEDLINE_* names outside core/config', () => {
  const root = dirname(repoFile('env.example'));
  const files = [
    ...readdirSync(join(root, 'infra-cdk', 'lib')).map((f) => join(root, 'infra-cdk', 'lib', f)),
    join(root, 'env.example'),
    join(root, 'README.md'),
    ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f)),
  ];

  for (const file of files) {
    it(`${file.slice(root.length + 1)} sets only variables loadConfig reads`, () => {
      const unknown = settingNamesIn(file).filter((name) => !(name in ENV_OVERRIDES));
      expect(unknown, `unknown to core/config/envOverrides.ts`).to.deep.equal([]);
    });
  }
});
