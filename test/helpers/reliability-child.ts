/*
 * A local stack in a child process for the crash tests: options come as JSON in
 * RELIABILITY_STACK_OPTIONS, and one JSON line with the endpoints goes to stdout once it is ready.
 */
import { startLocalStack, type LocalStackOptions } from '../../src/local/stack.js';

const options = JSON.parse(process.env['RELIABILITY_STACK_OPTIONS'] ?? '{}') as LocalStackOptions;
const stack = await startLocalStack({ port: 0, quiet: true, ...options });
process.stdout.write(
  `${JSON.stringify({
    graphqlUrl: stack.graphqlUrl,
    apiKey: stack.apiKey,
    outputQueueUrl: stack.outputQueueUrl,
    delayQueueUrl: stack.delayQueueUrl,
    sqsEndpoint: stack.sqsEndpoint,
    dynamoEndpoint: stack.dynamoEndpoint,
    tableName: stack.tableName,
  })}\n`,
);
