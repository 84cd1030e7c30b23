import type { ServiceIdentifier } from 'inversify';
import type { RlBatchAgentConfig } from './config.js';
import type { RlBatchAgentPolicy } from './RlBatchAgentPolicy.js';

/** This plugin's parsed `pluginOptions.rl-batch-agent` section. */
export const RL_BATCH_AGENT_CONFIG: ServiceIdentifier<RlBatchAgentConfig> = Symbol.for('embedline.plugins.rlBatchAgent.Config');

/** The agent itself (also bound as BATCH_SIZE_POLICY), for tests and the replay bench to inspect and flush. */
export const RL_BATCH_AGENT_POLICY: ServiceIdentifier<RlBatchAgentPolicy> = Symbol.for('embedline.plugins.rlBatchAgent.Policy');
