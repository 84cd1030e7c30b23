/**
 * Runs the Lambda handler once in this process, prints its response as JSON, and exits at once,
 * as an execution environment that is frozen or reclaimed right after the handler returns: work
 * the handler left for later (unsent spans) is lost. Usage: `node invokeLambdaOnce.js <event.json>`;
 * configuration comes from the environment, as in Lambda.
 */
import { readFileSync } from 'node:fs';
import type { Context, SQSEvent } from 'aws-lambda';
import { handler } from '../../functions/sqs-embed/handler.js';

const event = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SQSEvent;
const context = { getRemainingTimeInMillis: () => 60_000 } as Context;
const response = await handler(event, context);
process.stdout.write(`${JSON.stringify(response)}\n`);
process.exit(0);
