import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A path in the repository, found by walking up: tests run from dist/, the config lives in the repo. */
export function repoFile(relative: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, relative)) && existsSync(join(dir, 'package.json'))) return join(dir, relative);
  }
  throw new Error(`Could not find ${relative} above ${fileURLToPath(import.meta.url)}.`);
}
