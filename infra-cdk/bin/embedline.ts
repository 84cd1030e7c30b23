import { App } from 'aws-cdk-lib';
import { readConfig } from '../lib/config.js';
import { EmbedlineStack } from '../lib/embedline-stack.js';

const app = new App();
// Environment-agnostic on purpose: synth needs no AWS credentials, and one template deploys to any account.
new EmbedlineStack(app, 'Embedline', {
  description: 'Embedline text embeddings: SQS requests, Lambda and/or ECS workers, S3 results',
  config: readConfig(app.node),
});
