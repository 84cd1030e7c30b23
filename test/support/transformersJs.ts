import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { dirname } from 'node:path';
import type { ModelInfo } from '../../core/model/modelInfo.js';

/**
 * transformers.js' feature-extraction pipeline loaded from the same local files, remote models
 * disabled: the reference a Node user would otherwise reach for.
 */
export async function transformersJsExtractor(model: ModelInfo, modelName: string, dtype: 'fp32' | 'q8' = 'fp32'): Promise<FeatureExtractionPipeline> {
  env.allowRemoteModels = false;
  env.localModelPath = `${dirname(model.dir)}/`;
  return pipeline('feature-extraction', modelName, { dtype });
}
