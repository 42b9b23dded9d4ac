import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient, LOCAL_CREDENTIALS } from '../../../src/aws/clients.js';
import { createResolverRuntime, type DataSourceConfig } from '@precise-scheduler/appsync-local';
import {
  buildFixtures,
  invocation,
  unitEntry,
  type FixtureBundles,
} from '../../../packages/appsync-local/test/fixtures/runtime/build.js';
import { startTestServices, type TestServices } from '../../helpers/local-services.js';

const SIGNING = { service: 'sqs', region: 'us-east-1', credentials: LOCAL_CREDENTIALS };

describe('local APPSYNC_JS runtime: HTTP data source', () => {
  let services: TestServices;
  let bundles: FixtureBundles;
  let sqs: SQSClient;
  const runtimeFor = (endpoint: string, env: Record<string, string> = {}) => {
    const http: DataSourceConfig = { type: 'HTTP', endpoint, signing: SIGNING };
    return createResolverRuntime({ codeDir: bundles.codeDir, env, dataSources: { queue: http } });
  };

  beforeAll(async () => {
    [services, bundles] = await Promise.all([startTestServices(), buildFixtures(['sqs-send'])]);
    sqs = createSqsClient({ sqsEndpoint: services.sqs.endpoint });
  });
  afterAll(async () => {
    sqs.destroy();
    await Promise.all([services.stop(), bundles.remove()]);
  });

  it('send a delayed SQS message to fauxqs with the JSON protocol, signed for sqs', async () => {
    // Prepare
    const runtime = runtimeFor(services.sqs.endpoint, { QUEUE_URL: services.delayQueueUrl });
    const sentAt = Date.now();
    // Act
    const outcome = await runtime.resolve(
      unitEntry('sqs-send', 'queue'),
      invocation({ arguments: { body: 'hello', delaySeconds: 1 } }),
    );
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: services.delayQueueUrl, WaitTimeSeconds: 5 }),
    );
    // Assess
    expect(outcome.errors).toEqual([]);
    expect(outcome.data).toMatchObject({
      statusCode: 200,
      body: { MessageId: expect.any(String) },
    });
    expect(received.Messages?.[0]?.Body).toBe('hello');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(900);
  });

  it('sign the request with SigV4 for the configured service and region (a local server stands in for AWS)', async () => {
    // Prepare
    let seen: IncomingHttpHeaders = {};
    let body = '';
    const server: Server = createServer((request, response) => {
      seen = request.headers;
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Act
    const outcome = await runtimeFor(endpoint, { QUEUE_URL: 'q' }).resolve(
      unitEntry('sqs-send', 'queue'),
      invocation({ arguments: { body: 'x', delaySeconds: 0 } }),
    );
    server.close();
    // Assess
    expect(outcome.data).toEqual({ statusCode: 200, body: { ok: true } });
    expect(seen['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/sqs\/aws4_request, SignedHeaders=.*host.*x-amz-target.*, Signature=[0-9a-f]{64}$/,
    );
    expect(seen['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(JSON.parse(body)).toEqual({ QueueUrl: 'q', MessageBody: 'x', DelaySeconds: 0 });
  });

  it('set ctx.error when the endpoint cannot be reached', async () => {
    const outcome = await runtimeFor('http://127.0.0.1:1').resolve(
      unitEntry('sqs-send', 'queue'),
      invocation({ arguments: { body: 'x', delaySeconds: 0 } }),
    );
    expect(outcome.data).toBeNull();
    expect(outcome.errors[0]).toMatchObject({
      errorType: 'HTTP:RequestFailed',
      message: expect.stringMatching(/POST http:\/\/127\.0\.0\.1:1\/ failed: .*ECONNREFUSED/),
    });
  });
});
