import type { PluginCatalogue } from '../core/plugin.js';

/**
 * Every plugin this build ships, by name. Callers pass it to `buildContainer`, so `core/`
 * never imports `plugins/`.
 */
export const PLUGIN_CATALOGUE: PluginCatalogue = {};
