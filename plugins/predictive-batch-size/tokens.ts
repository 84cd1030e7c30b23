import type { ServiceIdentifier } from 'inversify';
import type { PredictiveBatchSizeConfig } from './config.js';
import type { PredictiveBatchSizePolicy } from './PredictiveBatchSizePolicy.js';

/** This plugin's parsed `pluginOptions.predictive-batch-size` section. */
export const PREDICTIVE_BATCH_SIZE_CONFIG: ServiceIdentifier<PredictiveBatchSizeConfig> = Symbol.for('embedline.plugins.predictiveBatchSize.Config');

/** The policy itself (also bound as BATCH_SIZE_POLICY), for tests and the replay bench to inspect and flush. */
export const PREDICTIVE_BATCH_SIZE_POLICY: ServiceIdentifier<PredictiveBatchSizePolicy> = Symbol.for('embedline.plugins.predictiveBatchSize.Policy');
