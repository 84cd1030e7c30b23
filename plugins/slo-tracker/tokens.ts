import type { ServiceIdentifier } from 'inversify';
import type { Clock } from './clock.js';
import type { SloTrackerConfig } from './config.js';

/** This plugin's parsed `pluginOptions.slo-tracker` section. */
export const SLO_TRACKER_CONFIG: ServiceIdentifier<SloTrackerConfig> = Symbol.for('embedline.plugins.sloTracker.Config');

/** The clock SLO windows are counted on; tests bind a hand-moved one. */
export const SLO_CLOCK: ServiceIdentifier<Clock> = Symbol.for('embedline.plugins.sloTracker.Clock');
