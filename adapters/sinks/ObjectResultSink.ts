import type { EmbeddingResult, ResultFormat, SinkReceipt } from '../../core/ports/ResultSink.js';
import { encodeResult } from './encodeResult.js';
import { ResultSinkBase } from './ResultSinkBase.js';

/**
 * Sinks that store each result as one object named `<id>.<format>` (file, S3). The key depends
 * on the id alone, so a redelivered message replaces its own result instead of adding a second.
 */
export abstract class ObjectResultSink extends ResultSinkBase {
  constructor(protected readonly defaultFormat: ResultFormat) {
    super();
  }

  protected async deliver(result: EmbeddingResult): Promise<SinkReceipt> {
    const encoded = encodeResult(result, result.format ?? this.defaultFormat);
    const location = await this.putObject(`${result.id}.${encoded.extension}`, encoded.body, encoded.contentType, result);
    return { location };
  }

  /** Writes all of `body` under `key`, atomically and durably; returns where it is. */
  protected abstract putObject(key: string, body: Buffer, contentType: string, result: EmbeddingResult): Promise<string>;
}
