import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Queues } from './queues.js';

export interface AlarmsProps {
  readonly queues: Queues;
  readonly fn: IFunction | undefined;
  readonly maxMessageAgeSec: number;
  readonly email: string | undefined;
}

/** Alarms that mean "someone should look": poison messages, a stuck queue, a failing or throttled Lambda. */
export class Alarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    const minute = Duration.minutes(1);
    const { requests, deadLetters } = props.queues;
    this.alarm('DlqNotEmpty', deadLetters.metricApproximateNumberOfMessagesVisible({ period: minute, statistic: 'Maximum' }), 1,
      'Messages reached the DLQ: they failed maxReceiveCount times. Inspect, fix, then redrive.');
    this.alarm('OldestMessageAge', requests.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' }), props.maxMessageAgeSec,
      'Requests wait too long: consumers are down, scaled to zero without waking, or too few.', 5);
    if (props.fn) {
      const fiveMinutes = Duration.minutes(5);
      // Per-message failures are reported via batchItemFailures and do not count here:
      // an Error is a crash or timeout of a whole batch.
      this.alarm('LambdaErrors', props.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1,
        'The embed Lambda crashed or timed out on whole batches.');
      // maxConcurrency on the event source should prevent throttles, so any means the account limit is hit.
      this.alarm('LambdaThrottles', props.fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), 1,
        'The embed Lambda was throttled: account or reserved concurrency is exhausted.');
    }
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means no traffic, which is healthy.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
  }
}
