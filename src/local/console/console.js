// The local console: plain browser JavaScript, no dependencies, served by the local endpoint.
const PENDING_PAGE = 20;
const FIRED_ROWS = 100;
const FIRED_QUERY =
  'subscription OnFired { onScheduleFired { id owner dueAt firedAt latenessMs payload } }';

const $ = (id) => document.getElementById(id);
let config = { apiKey: '', graphqlPath: '/graphql' };
let pendingToken = null;

async function gql(query, variables) {
  const response = await fetch(config.graphqlPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': config.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const result = await response.json();
  if (result.errors && result.errors.length > 0) {
    const [first] = result.errors;
    throw new Error(`${first.errorType ?? 'Error'}: ${first.message}`);
  }
  return result.data;
}

function cell(text, className) {
  const td = document.createElement('td');
  const code = document.createElement('code');
  code.textContent = text;
  td.append(code);
  if (className) td.className = className;
  return td;
}

function showStatus(text, kind) {
  const status = $('create-status');
  status.textContent = text;
  status.dataset.kind = kind;
}

function pendingRow(schedule) {
  const tr = document.createElement('tr');
  tr.dataset.id = schedule.id;
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'small cancel';
  cancel.textContent = 'cancel';
  cancel.addEventListener('click', () => cancelSchedule(schedule.id, tr));
  const actions = document.createElement('td');
  actions.append(cancel);
  tr.append(cell(schedule.dueAt), cell(schedule.status), cell(schedule.payload), actions);
  return tr;
}

async function loadPending(append) {
  const data = await gql(
    'query Pending($limit: Int, $nextToken: String) { pendingSchedules(limit: $limit, nextToken: $nextToken) { items { id dueAt status payload } nextToken } }',
    { limit: PENDING_PAGE, nextToken: append ? pendingToken : null },
  );
  const page = data.pendingSchedules;
  if (!append) $('pending').replaceChildren();
  for (const item of page.items) $('pending').append(pendingRow(item));
  pendingToken = page.nextToken ?? null;
  $('more').hidden = pendingToken === null;
}

async function cancelSchedule(id, row) {
  try {
    await gql('mutation Cancel($id: ID!) { cancelSchedule(id: $id) { id status } }', { id });
    row.remove();
    showStatus(`cancelled ${id}`, 'ok');
  } catch (error) {
    showStatus(error.message, 'error');
  }
}

function readInput(form) {
  const payloadText = form.payload.value;
  try {
    JSON.parse(payloadText);
  } catch {
    throw new Error('the payload is not valid JSON');
  }
  const mode = form.querySelector('input[name="mode"]:checked').value;
  if (mode === 'delay') return { delaySeconds: Number(form.delay.value), payload: payloadText };
  return { dueAt: form.dueAt.value.trim(), payload: payloadText };
}

async function createSchedule(event) {
  event.preventDefault();
  try {
    const input = readInput(event.target);
    const data = await gql(
      'mutation Create($input: CreateScheduleInput!) { createSchedule(input: $input) { id dueAt status } }',
      { input },
    );
    showStatus(`scheduled ${data.createSchedule.id} for ${data.createSchedule.dueAt}`, 'ok');
    await loadPending(false);
  } catch (error) {
    showStatus(error.message, 'error');
  }
}

function showFired(event) {
  const tr = document.createElement('tr');
  tr.dataset.id = event.id;
  tr.className = 'fired-row';
  const late = event.latenessMs > 1000 ? 'late' : '';
  tr.append(
    cell(event.firedAt),
    cell(`${event.latenessMs} ms`, late),
    cell(event.id),
    cell(event.payload),
  );
  $('fired').prepend(tr);
  while ($('fired').children.length > FIRED_ROWS) $('fired').lastElementChild.remove();
  document.querySelector(`#pending tr[data-id="${CSS.escape(event.id)}"]`)?.remove();
}

function setConnection(state, text) {
  $('connection').dataset.state = state;
  $('connection').textContent = text;
}

// graphql-ws protocol (graphql-transport-ws): init with the API key, then one subscription.
function subscribe() {
  const url = new URL(config.graphqlPath, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url, 'graphql-transport-ws');
  socket.addEventListener('open', () => {
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': config.apiKey } }),
    );
  });
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(message.data);
    if (data.type === 'connection_ack') {
      socket.send(
        JSON.stringify({ id: 'fired', type: 'subscribe', payload: { query: FIRED_QUERY } }),
      );
      setConnection('live', 'live');
    } else if (data.type === 'ping') {
      socket.send(JSON.stringify({ type: 'pong' }));
    } else if (data.type === 'next' && data.payload.data?.onScheduleFired) {
      showFired(data.payload.data.onScheduleFired);
    } else if (data.type === 'error') {
      setConnection('closed', 'subscription refused');
    }
  });
  socket.addEventListener('close', () => {
    setConnection('closed', 'disconnected, retrying…');
    setTimeout(subscribe, 2000);
  });
}

async function start() {
  config = await (await fetch('/console-config.json')).json();
  $('create-form').addEventListener('submit', createSchedule);
  // Typing in either field picks its mode, so "at" never silently schedules by delay.
  const pick = (mode) => () => (document.querySelector(`input[value="${mode}"]`).checked = true);
  $('delay').addEventListener('focus', pick('delay'));
  $('due-at').addEventListener('focus', pick('due'));
  $('due-at').value = new Date(Date.now() + 60_000).toISOString();
  $('refresh').addEventListener('click', () =>
    loadPending(false).catch((e) => showStatus(e.message, 'error')),
  );
  $('more').addEventListener('click', () =>
    loadPending(true).catch((e) => showStatus(e.message, 'error')),
  );
  subscribe();
  await loadPending(false).catch((error) => showStatus(error.message, 'error'));
}

start();
