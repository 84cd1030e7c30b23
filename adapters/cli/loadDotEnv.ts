import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The quick start's `cp env.example .env && npm start`: applies `./.env`
 * with Node's own parser. Real environment variables win over the file, as with `node --env-file`.
 */
export function loadDotEnv(cwd = process.cwd()): string | undefined {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}
