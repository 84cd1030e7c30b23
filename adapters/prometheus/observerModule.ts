import { ContainerModule } from 'inversify';
import { PIPELINE_OBSERVER, type PipelineObserver } from '../../core/ports/PipelineObserver.js';

/** Adds an observer (metrics, logs) to the pipeline without replacing the others. */
export function observerModule(observer: PipelineObserver): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(PIPELINE_OBSERVER).toConstantValue(observer);
  });
}
