import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT_DIR = join('scripts', 'model-optimize');

/**
 * The Python graph optimizer kept in the repository (scripts/model-optimize/), found by walking
 * up from this file because it runs both from source and from dist/.
 */
export function optimizerScriptDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, SCRIPT_DIR, 'optimize.py'))) return join(dir, SCRIPT_DIR);
  }
  throw new Error(`Could not find ${SCRIPT_DIR}/optimize.py above ${fileURLToPath(import.meta.url)}.`);
}
