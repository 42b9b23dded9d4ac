import { request as httpRequest, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../../src/local/stack.js';

function post(url: string, agent: Agent, apiKey: string, body: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('an oversized request body on a kept-alive connection', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ memory: true, port: 0, quiet: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is refused, and the next request on the same agent still gets its answer', async () => {
    // Prepare: one socket, reused when the server keeps it open.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const huge = JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(6 * 1024 * 1024) });

    // Act
    const refused = await post(stack.graphqlUrl, agent, stack.apiKey, huge);
    const next = await post(
      stack.graphqlUrl,
      agent,
      stack.apiKey,
      JSON.stringify({ query: '{ __typename }' }),
    );
    agent.destroy();

    // Assess
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toMatchObject({
      errors: [{ errorType: 'MalformedHttpRequestException' }],
    });
    expect(next).toEqual({ status: 200, text: JSON.stringify({ data: { __typename: 'Query' } }) });
  });
});
