// A user's Node app, as plain JavaScript, driving the local stack through the installed client:
// watch, create, fire, cancel, list. Prints one JSON line with what it saw.
import { createSchedulerClient } from 'precise-scheduler/client';

const [endpoint, apiKey] = process.argv.slice(2);
const client = createSchedulerClient({ endpoint, auth: { type: 'apiKey', apiKey } });
const fired = await client.watch();
const kept = await client.create({ delaySeconds: 1, payload: { order: 42, note: 'fire me' } });
const dropped = await client.create({ delaySeconds: 600, payload: { order: 43 } });
const pendingBefore = [];
for await (const schedule of client.pending()) pendingBefore.push(schedule.id);
const cancelled = await client.cancel(dropped.id);
const deadline = setTimeout(() => {
  console.error(`no fired event for ${kept.id} within 30 s`);
  process.exit(1);
}, 30_000);
let event;
for await (const candidate of fired) {
  if (candidate.id === kept.id) {
    event = candidate;
    break;
  }
}
clearTimeout(deadline);
fired.close();
const after = await client.get(kept.id);
let refused;
try {
  await client.cancel(kept.id);
} catch (error) {
  refused = error.errorType;
}
console.log(
  JSON.stringify({
    pendingBefore: pendingBefore.includes(kept.id) && pendingBefore.includes(dropped.id),
    cancelledStatus: cancelled.status,
    firedPayload: JSON.parse(event.payload),
    latenessMs: event.latenessMs,
    statusAfterFiring: after.status,
    cancelAfterFiring: refused,
  }),
);
