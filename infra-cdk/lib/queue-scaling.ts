import { Duration } from 'aws-cdk-lib';
import { AdjustmentType } from 'aws-cdk-lib/aws-applicationautoscaling';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { ScalableTaskCount } from 'aws-cdk-lib/aws-ecs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

/**
 * Step scaling on queue depth, down to `minTasks` (zero allowed) when the queue is idle.
 * The metric is visible + in-flight messages: scaling in on the visible count alone would
 * stop workers that are still processing a batch. Steps set an exact task count rather than
 * adding tasks, because a step policy fires again every cooldown while its alarm stays in
 * ALARM: "+1" would creep to maxTasks under any steady trickle of messages.
 */
export function scaleOnQueueBacklog(capacity: ScalableTaskCount, queue: IQueue, tasks: { min: number; max: number }): void {
  const period = Duration.minutes(1);
  const backlog = new MathExpression({
    expression: 'visible + inflight',
    usingMetrics: {
      visible: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      inflight: queue.metricApproximateNumberOfMessagesNotVisible({ period, statistic: 'Maximum' }),
    },
    label: 'Messages waiting or in flight',
    period,
  });
  capacity.scaleOnMetric('QueueBacklog', {
    metric: backlog,
    adjustmentType: AdjustmentType.EXACT_CAPACITY,
    scalingSteps: [
      { upper: 0, change: tasks.min }, // idle
      { lower: 1, change: Math.max(tasks.min, 1) }, // wakes the service from zero
      { lower: 500, change: Math.max(tasks.min, Math.ceil(tasks.max / 2)) },
      { lower: 5000, change: tasks.max },
    ],
    cooldown: Duration.seconds(60),
  });
}
