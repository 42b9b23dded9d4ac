import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/**
 * Starts one feeder run for `shard` by invoking the feeder Lambda asynchronously
 * (InvocationType Event), so the trigger returns without waiting for the runs.
 */
export function lambdaFeederStarter(
  client: LambdaClient,
  functionName: string,
): (shard: number) => Promise<void> {
  return async (shard) => {
    const result = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ shard })),
      }),
    );
    if (result.StatusCode !== 202) {
      throw new Error(
        `Invoking ${functionName} for shard ${shard} returned status ${String(result.StatusCode)}; expected 202`,
      );
    }
  };
}
