import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppSyncPublisher } from '../../../src/aws/appsync-publisher.js';
import type { FiredEvent } from '../../../src/engine/fired-event.js';
import { startLocalStack, type LocalStack } from '../../../src/local/stack.js';
import { ON_FIRED, openRealtime, postGraphql } from '../../e2e/e2e-helpers.js';
import { signAppSyncPost } from '../../helpers/sigv4.js';

const FIELDS = 'id owner dueAt firedAt latenessMs payload key labels';

function firedEvent(id: string): FiredEvent {
  return {
    id,
    owner: 'api-key',
    dueAt: '2027-03-20T09:46:47.123Z',
    firedAt: '2027-03-20T09:46:47.150Z',
    latenessMs: 27,
    payload: JSON.stringify({ id }),
    key: null,
    labels: [],
  };
}

describe('the local endpoint publishes only unaliased trigger mutations (AppSync real-time)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      feederIntervalSeconds: 3600,
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('answers an aliased publishScheduleFired but publishes only the unaliased one, warning about the alias', async () => {
    // Prepare: a subscriber over the AppSync real-time protocol, and a captured console
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const auth = { host: new URL(stack.graphqlUrl).host, 'x-api-key': stack.apiKey };
    const socket = await openRealtime(stack.realtimeUrl, auth);
    socket.send({ type: 'connection_init' });
    await socket.next('connection_ack');
    const start = {
      data: JSON.stringify({ query: ON_FIRED }),
      extensions: { authorization: auth },
    };
    socket.send({ id: 'sub', type: 'start', payload: start });
    await socket.next('start_ack', 'sub');
    const aliased = firedEvent('aliased-1');
    const plain = firedEvent('plain-1');

    try {
      // Act: first the aliased form, signed as IAM; then the dispatcher's publisher
      const query = `mutation P($e0: PublishScheduleFiredInput!) { e0: publishScheduleFired(input: $e0) { ${FIELDS} } }`;
      const body = JSON.stringify({ query, variables: { e0: aliased } });
      const headers = await signAppSyncPost(stack.graphqlUrl, body, stack.iamCredentials);
      const answer = await postGraphql(stack, headers, query, { e0: aliased });
      await new AppSyncPublisher({ url: stack.graphqlUrl, credentials: stack.iamCredentials }).send(
        plain,
      );
      const data = await socket.next('data', 'sub');

      // Assess: events reach a subscriber in publish order, so the first is the only one
      expect(answer.data).toEqual({ e0: aliased });
      const received = (data.payload as { data: { onScheduleFired: FiredEvent } }).data;
      // The subscription selects the fields of the e2e helpers, without key and labels.
      expect(received.onScheduleFired).toEqual({ ...plain, key: undefined, labels: undefined });
      const delivered = socket.messages.filter((message) => message.type === 'data');
      expect(delivered).toHaveLength(1);
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('Mutation.publishScheduleFired is aliased as "e0"'),
      );
    } finally {
      warn.mockRestore();
      socket.close();
    }
  });
});
