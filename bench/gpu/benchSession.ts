import { InferenceSession } from 'onnxruntime-node';
import { DEFAULT_SESSION_TUNING, toSessionOptions } from '../../core/encoder/sessionTuning.js';

/**
 * One session built the way the service's workers build theirs (toSessionOptions), with the
 * execution provider under test first; ORT puts anything that provider lacks on the CPU.
 */
export async function benchSession(modelPath: string, ep: string, profilePrefix?: string): Promise<InferenceSession> {
  const options = toSessionOptions({ ...DEFAULT_SESSION_TUNING, intraOpThreads: 4, executionProviders: [ep] });
  if (profilePrefix) Object.assign(options, { enableProfiling: true, profileFilePrefix: profilePrefix });
  return InferenceSession.create(modelPath, options);
}
