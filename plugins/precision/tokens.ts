import type { ServiceIdentifier } from 'inversify';
import type { PrecisionConfig } from './config.js';

/** This plugin's parsed `pluginOptions.precision` section. */
export const PRECISION_CONFIG: ServiceIdentifier<PrecisionConfig> = Symbol.for('embedline.plugins.precision.Config');

/** The source of shadow-check sampling decisions (Math.random in production; tests pin it). */
export type ShadowSampler = () => number;
export const PRECISION_SHADOW_SAMPLER: ServiceIdentifier<ShadowSampler> = Symbol.for('embedline.plugins.precision.ShadowSampler');
