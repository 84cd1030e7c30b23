import { Counter, Gauge, Registry } from 'prom-client';
import type { BatchShape } from '../../core/ports/BatchSizePolicy.js';

/** What the policy exposes at scrape time. */
export interface PredictiveReadout {
  readonly mape: number;
  readonly learning: boolean;
  readonly shape: BatchShape;
}

/**
 * The predictive policy's Prometheus metrics on a Registry of its own (bound to
 * METRICS_REGISTRY). Gauges are read when scraped, so `next()` pays nothing for them.
 *
 * @example
 * const metrics = new PredictiveMetrics();
 * metrics.watch(() => policy.readout());
 */
export class PredictiveMetrics {
  readonly registry = new Registry();
  private readout: () => PredictiveReadout | undefined = () => undefined;

  readonly samples = new Counter({ name: 'embedline_predictive_batch_samples_total', help: 'Successful batches the latency model learned from.', registers: [this.registry] });
  readonly failures = new Counter({ name: 'embedline_predictive_batch_failures_total', help: 'Failed batches reported to the policy (each lowers the row ceiling).', registers: [this.registry] });
  readonly shifts = new Counter({ name: 'embedline_predictive_batch_shifts_total', help: 'Times the prediction error stayed high long enough to count as a shift of the cost curve; each reopens the latency model.', registers: [this.registry] });

  constructor() {
    const read = (): PredictiveReadout | undefined => this.readout();
    new Gauge({
      name: 'embedline_predictive_batch_latency_mape_ratio',
      help: 'Mean absolute percentage error of the predicted batch inference time over the recent window (0.05 = 5%); NaN before the first batch.',
      registers: [this.registry],
      collect() {
        this.set(read()?.mape ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'embedline_predictive_batch_learning',
      help: '1 while the policy still serves the static shape (too few samples), 0 once the model decides.',
      registers: [this.registry],
      collect() {
        this.set(read()?.learning === false ? 0 : 1);
      },
    });
    const shapeGauge = (name: string, help: string, pick: (s: BatchShape) => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const shape = read()?.shape;
          if (shape) this.set(pick(shape));
        },
      });
    };
    shapeGauge('embedline_predictive_batch_max_batch_size', 'Batch size limit the policy chose last.', (s) => s.maxBatchSize);
    shapeGauge('embedline_predictive_batch_max_batch_tokens', 'Padded-token limit the policy chose last.', (s) => s.maxBatchTokens);
    // Seconds, not ms: promtool check metrics rejects abbreviated units in names.
    shapeGauge('embedline_predictive_batch_max_wait_seconds', 'Wait for company the policy chose last, in seconds.', (s) => s.maxWaitMs / 1000);
  }

  watch(readout: () => PredictiveReadout): void {
    this.readout = readout;
  }
}
