import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EmbedlineError } from '../errors.js';
import { ENV_OVERRIDES, parseSwitch, SEED_PLUGIN_SWITCHES } from './envOverrides.js';
import { configSchema, type EmbedlineConfig } from './schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends EmbedlineError {
  constructor(readonly problems: readonly string[]) {
    super('EMBEDLINE_CONFIG', `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
  }
}

const DEFAULT_FILES = ['embedline.config.json', 'embedline.config.yaml', 'embedline.config.yml'];

/**
 * The only reader of `process.env`: file (explicit, `EMBEDLINE_CONFIG`, or `embedline.config.*`
 * in the working directory) ← environment overrides ← defaults; validated and deep-frozen.
 * Every problem is reported at once, each with its path.
 *
 * @example
 * const config = loadConfig(process.env);                  // defaults + env
 * const config = loadConfig({}, 'config/embedline.yaml');  // a file, no env
 */
export function loadConfig(env: Env, file?: string, cwd = process.cwd()): Readonly<EmbedlineConfig> {
  const problems: string[] = [];
  const raw = readConfigFile(file ?? env.EMBEDLINE_CONFIG ?? findDefaultFile(cwd), problems);
  applyEnv(raw, env, problems);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return deepFreeze(parsed.data);
}

function findDefaultFile(cwd: string): string | undefined {
  return DEFAULT_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
}

function readConfigFile(path: string | undefined, problems: string[]): Record<string, unknown> {
  if (!path) return {};
  try {
    const text = readFileSync(path, 'utf8');
    const data: unknown = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
    if (data === null || data === undefined) return {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      problems.push(`${path}: the config file must hold an object`);
      return {};
    }
    return data as Record<string, unknown>;
  } catch (error) {
    problems.push(`${path}: ${(error as Error).message}`);
    return {};
  }
}

function applyEnv(raw: Record<string, unknown>, env: Env, problems: string[]): void {
  for (const [name, { path, parse }] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, parse(value));
  }
  for (const [name, plugin] of Object.entries(SEED_PLUGIN_SWITCHES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const on = parseSwitch(value);
    if (on === undefined) {
      problems.push(`${name}: expected true or false, got "${value}"`);
      continue;
    }
    const plugins = new Set(Array.isArray(raw.plugins) ? (raw.plugins as string[]) : []);
    if (on) plugins.add(plugin);
    else plugins.delete(plugin);
    raw.plugins = [...plugins];
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
