import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../../../core/config/loadConfig.js';
import { ENV_OVERRIDES } from '../../../../core/config/envOverrides.js';

// The CDK app is a separate package (aws-cdk-lib is not installed here), so its source is read as text.
const contract = readFileSync(fileURLToPath(new URL('../../../../../infra-cdk/lib/consumer-contract.ts', import.meta.url)), 'utf8');
const cdkVariables = [...new Set([...contract.matchAll(/\b(EMBEDLINE_[A-Z0-9_]+)\b/g)].map((m) => m[1]!))];

describe('the environment the CDK app gives consumers', () => {
  it('names only variables loadConfig reads', () => {
    expect(cdkVariables).to.include.members(['EMBEDLINE_SINK', 'EMBEDLINE_S3_BUCKET', 'EMBEDLINE_S3_PREFIX', 'EMBEDLINE_QUEUE_URL', 'EMBEDLINE_RESULTS_QUEUE_URL']);
    expect(cdkVariables.filter((name) => !(name in ENV_OVERRIDES))).to.deep.equal([]);
  });

  it('configures the S3 sink, the queue and the results queue', () => {
    const config = loadConfig({
      EMBEDLINE_SINK: 's3',
      EMBEDLINE_S3_BUCKET: 'embedline-results-bucket',
      EMBEDLINE_S3_PREFIX: 'results/',
      EMBEDLINE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/requests',
      EMBEDLINE_RESULTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/results',
    }, undefined, '/nonexistent');

    expect(config.sink).to.deep.include({ type: 's3', resultsQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/results' });
    expect(config.sink.s3).to.deep.include({ bucket: 'embedline-results-bucket', prefix: 'results/' });
    expect(config.sqs.queueUrl).to.equal('https://sqs.eu-west-1.amazonaws.com/123456789012/requests');
  });

  it('refuses the S3 sink without a bucket, naming the variable', () => {
    expect(() => loadConfig({ EMBEDLINE_SINK: 's3' }, undefined, '/nonexistent')).to.throw(ConfigError, /sink\.s3\.bucket: .*EMBEDLINE_S3_BUCKET/);
  });
});
