import { S3Client } from '@aws-sdk/client-s3';
import { ContainerModule } from 'inversify';
import type { EmbedlineConfig } from '../../core/config/schema.js';
import { RESULT_SINK, type ResultSink } from '../../core/ports/ResultSink.js';
import { createSqsClient } from '../sqs/createSqsClient.js';
import { FileResultSink } from './FileResultSink.js';
import { NotifyingSink } from './NotifyingSink.js';
import { S3ResultSink } from './S3ResultSink.js';
import { SqsResultSink } from './SqsResultSink.js';

/**
 * The sink `sink.type` names. With `file` or `s3` and a results queue configured
 * (EMBEDLINE_RESULTS_QUEUE_URL), every stored result is also announced on that queue.
 *
 * @example
 * const sink = createResultSink(loadConfig(process.env));
 */
export function createResultSink(config: Readonly<EmbedlineConfig>): ResultSink {
  const { sink } = config;
  if (sink.type === 'sqs') return new SqsResultSink(createSqsClient(config.sqs), sink.resultsQueueUrl, config.sqs.maxMessageBytes);
  const objects =
    sink.type === 's3'
      ? new S3ResultSink(createS3Client(sink.s3), sink.s3.bucket!, sink.s3.prefix, sink.format)
      : new FileResultSink(sink.dir, sink.format);
  return sink.resultsQueueUrl ? new NotifyingSink(objects, createSqsClient(config.sqs), sink.resultsQueueUrl) : objects;
}

function createS3Client(s3: EmbedlineConfig['sink']['s3']): S3Client {
  return new S3Client({
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    ...(s3.region ? { region: s3.region } : {}),
    forcePathStyle: s3.forcePathStyle,
  });
}

/** Binds {@link RESULT_SINK} for the SQS worker and the Lambda handler. */
export function sinkModule(config: Readonly<EmbedlineConfig>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(RESULT_SINK).toDynamicValue(() => createResultSink(config)).inSingletonScope();
  });
}
