import type { ServiceIdentifier } from 'inversify';
import type { SloTrackerConfig } from './config.js';

/** This plugin's parsed `pluginOptions.slo-tracker` section. */
export const SLO_TRACKER_CONFIG: ServiceIdentifier<SloTrackerConfig> = Symbol.for('embedline.slo-tracker.Config');
