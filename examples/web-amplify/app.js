// A browser client of the scheduler using AWS Amplify JS v6. Point it at any deployment with
// ?endpoint=<GraphQL URL>&apiKey=<key> (the local stack prints both at start-up).
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';

const params = new URLSearchParams(location.search);
Amplify.configure({
  API: {
    GraphQL: {
      endpoint: params.get('endpoint') ?? 'http://localhost:4000/graphql',
      region: params.get('region') ?? 'us-east-1',
      defaultAuthMode: 'apiKey',
      apiKey: params.get('apiKey') ?? '',
    },
  },
});
const client = generateClient();

const fields = 'id dueAt status payload key labels';
const create = `mutation Create($input: CreateScheduleInput!) { createSchedule(input: $input) { ${fields} } }`;
const cancel = `mutation Cancel($id: ID!) { cancelSchedule(id: $id) { ${fields} } }`;
const reschedule = `mutation Reschedule($id: ID!, $dueAt: AWSDateTime) { rescheduleSchedule(id: $id, dueAt: $dueAt) { ${fields} } }`;
const pending = `query Pending { pendingSchedules(limit: 100) { items { ${fields} } nextToken } }`;
const fired = `subscription Fired { onScheduleFired { id dueAt firedAt latenessMs payload key labels } }`;
const SNOOZE_MS = 5 * 60_000;

const $ = (id) => document.getElementById(id);

function actionButton(text, testId, action) {
  const button = document.createElement('button');
  button.textContent = text;
  button.dataset.testid = testId;
  button.onclick = async () => {
    try {
      await action();
      await refreshPending();
    } catch (error) {
      $('status').textContent = `Refused: ${error.errors?.[0]?.message ?? String(error)}`;
    }
  };
  return button;
}

function describe(schedule) {
  const key = schedule.key ? ` key ${schedule.key}` : '';
  const labels = schedule.labels.length > 0 ? ` [${schedule.labels.join(', ')}]` : '';
  return `${schedule.dueAt}${key}${labels} ${schedule.payload} `;
}

function item(text, testId) {
  const li = document.createElement('li');
  li.textContent = text;
  li.dataset.testid = testId;
  return li;
}

async function refreshPending() {
  const { data } = await client.graphql({ query: pending });
  $('pending').replaceChildren(
    ...data.pendingSchedules.items.map((schedule) => {
      const li = item(describe(schedule), 'pending-item');
      li.dataset.id = schedule.id;
      // Snooze moves the schedule 5 minutes past its due time; the id changes, the key stays.
      const snoozedUntil = new Date(Date.parse(schedule.dueAt) + SNOOZE_MS).toISOString();
      li.append(
        actionButton('snooze 5 minutes', 'snooze', () =>
          client.graphql({
            query: reschedule,
            variables: { id: schedule.id, dueAt: snoozedUntil },
          }),
        ),
        actionButton('cancel', 'cancel', () =>
          client.graphql({ query: cancel, variables: { id: schedule.id } }),
        ),
      );
      return li;
    }),
  );
}

client.graphql({ query: fired }).subscribe({
  next: ({ data }) => {
    const event = data.onScheduleFired;
    $('fired').prepend(
      item(
        `${event.firedAt}${event.key ? ` key ${event.key}` : ''} ${event.payload} lateness ${event.latenessMs} ms`,
        'fired-item',
      ),
    );
    void refreshPending();
  },
  error: (error) => {
    $('status').textContent = `Subscription failed: ${JSON.stringify(error)}`;
  },
});

$('create').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('key').value.trim();
  const labels = $('labels')
    .value.split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
  const input = {
    delaySeconds: Number($('delay').value),
    payload: $('payload').value,
    labels,
    // With a key, scheduling again replaces the schedule that holds it.
    ...(key === '' ? {} : { key, onConflict: 'REPLACE' }),
  };
  try {
    await client.graphql({ query: create, variables: { input } });
    await refreshPending();
  } catch (error) {
    $('status').textContent = `Refused: ${error.errors?.[0]?.message ?? String(error)}`;
  }
});

refreshPending().then(
  () => ($('status').textContent = 'Connected'),
  (error) =>
    ($('status').textContent =
      `Cannot reach the API: ${error.errors?.[0]?.message ?? String(error)}`),
);
