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

const fields = 'id dueAt status payload';
const create = `mutation Create($input: CreateScheduleInput!) { createSchedule(input: $input) { ${fields} } }`;
const cancel = `mutation Cancel($id: ID!) { cancelSchedule(id: $id) { ${fields} } }`;
const pending = `query Pending { pendingSchedules(limit: 100) { items { ${fields} } nextToken } }`;
const fired = `subscription Fired { onScheduleFired { id dueAt firedAt latenessMs payload } }`;

const $ = (id) => document.getElementById(id);

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
      const li = item(`${schedule.dueAt} ${schedule.payload} `, 'pending-item');
      const button = document.createElement('button');
      button.textContent = 'cancel';
      button.onclick = async () => {
        await client.graphql({ query: cancel, variables: { id: schedule.id } });
        await refreshPending();
      };
      li.append(button);
      return li;
    }),
  );
}

client.graphql({ query: fired }).subscribe({
  next: ({ data }) => {
    const event = data.onScheduleFired;
    $('fired').prepend(
      item(`${event.firedAt} ${event.payload} lateness ${event.latenessMs} ms`, 'fired-item'),
    );
    void refreshPending();
  },
  error: (error) => {
    $('status').textContent = `Subscription failed: ${JSON.stringify(error)}`;
  },
});

$('create').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = { delaySeconds: Number($('delay').value), payload: $('payload').value };
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
