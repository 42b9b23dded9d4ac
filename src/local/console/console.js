// The local console: plain browser JavaScript, no dependencies, served by the local endpoint.
const PENDING_PAGE = 20;
const FIRED_ROWS = 100;
const HISTORY_PAGE = 20;
const FIRED_QUERY =
  'subscription OnFired { onScheduleFired { id owner dueAt firedAt latenessMs payload key labels } }';
const HISTORY_QUERY = `query History($filter: ScheduleFilter, $limit: Int, $nextToken: String) {
  schedules(filter: $filter, limit: $limit, nextToken: $nextToken, order: DESC) {
    items { id dueAt status labels payload latenessMs rescheduledTo }
    nextToken
  }
}`;
const RESCHEDULE = `mutation Reschedule($id: ID!, $dueAt: AWSDateTime, $delaySeconds: Int) {
  rescheduleSchedule(id: $id, dueAt: $dueAt, delaySeconds: $delaySeconds) { id dueAt status }
}`;

const $ = (id) => document.getElementById(id);
let config = { apiKey: '', graphqlPath: '/graphql' };
let pendingToken = null;
let historyToken = null;

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

function button(text, className, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `small ${className}`;
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

function pendingRow(schedule) {
  const tr = document.createElement('tr');
  tr.dataset.id = schedule.id;
  const actions = document.createElement('td');
  const showActions = () =>
    actions.replaceChildren(
      button('reschedule', 'reschedule', () => askNewDueTime(schedule, actions, showActions)),
      button('cancel', 'cancel', () => cancelSchedule(schedule.id, tr)),
    );
  showActions();
  tr.append(
    cell(schedule.dueAt),
    cell(schedule.status),
    cell((schedule.labels ?? []).join(', '), 'labels'),
    cell(schedule.payload),
    actions,
  );
  return tr;
}

// The new due time: an ISO-8601 instant, or a whole number of seconds from now.
function askNewDueTime(schedule, actions, restore) {
  const input = document.createElement('input');
  input.className = 'new-due';
  input.value = schedule.dueAt;
  input.setAttribute('aria-label', 'new due time (ISO-8601) or seconds from now');
  const confirm = button('ok', 'confirm', () => rescheduleSchedule(schedule.id, input.value));
  actions.replaceChildren(input, confirm, button('back', 'back', restore));
  input.focus();
}

async function rescheduleSchedule(id, text) {
  const value = text.trim();
  const when = /^\d+$/.test(value) ? { delaySeconds: Number(value) } : { dueAt: value };
  try {
    const data = await gql(RESCHEDULE, { id, ...when });
    const moved = data.rescheduleSchedule;
    showStatus(`rescheduled ${id} to ${moved.id} for ${moved.dueAt}`, 'ok');
    await loadPending(false);
  } catch (error) {
    showStatus(error.message, 'error');
  }
}

async function loadPending(append) {
  const data = await gql(
    'query Pending($limit: Int, $nextToken: String) { pendingSchedules(limit: $limit, nextToken: $nextToken) { items { id dueAt status labels payload } nextToken } }',
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
  const labels = form.labels.value
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');
  const mode = form.querySelector('input[name="mode"]:checked').value;
  const when =
    mode === 'delay'
      ? { delaySeconds: Number(form.delay.value) }
      : { dueAt: form.dueAt.value.trim() };
  return { ...when, payload: payloadText, labels };
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
    cell((event.labels ?? []).join(', '), 'labels'),
  );
  $('fired').prepend(tr);
  while ($('fired').children.length > FIRED_ROWS) $('fired').lastElementChild.remove();
  document.querySelector(`#pending tr[data-id="${CSS.escape(event.id)}"]`)?.remove();
}

function historyRow(schedule) {
  const tr = document.createElement('tr');
  tr.dataset.id = schedule.id;
  const lateness = schedule.latenessMs === null ? '' : `${schedule.latenessMs} ms`;
  const status = schedule.rescheduledTo
    ? `${schedule.status} → ${schedule.rescheduledTo}`
    : schedule.status;
  tr.append(
    cell(schedule.dueAt),
    cell(status, 'status'),
    cell(lateness),
    cell(schedule.id),
    cell(schedule.labels.join(', '), 'labels'),
    cell(schedule.payload),
  );
  return tr;
}

// Newest first; a page may be short while more follow, so "more" follows nextToken alone.
async function loadHistory(append) {
  const status = $('history-status').value;
  const label = $('history-label').value.trim();
  const filter = {
    ...(status === '' ? {} : { status: [status] }),
    ...(label === '' ? {} : { label }),
  };
  const data = await gql(HISTORY_QUERY, {
    filter,
    limit: HISTORY_PAGE,
    nextToken: append ? historyToken : null,
  });
  const page = data.schedules;
  if (!append) $('history').replaceChildren();
  for (const item of page.items) $('history').append(historyRow(item));
  historyToken = page.nextToken ?? null;
  $('history-more').hidden = historyToken === null;
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
  $('history-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadHistory(false).catch((e) => showStatus(e.message, 'error'));
  });
  $('history-more').addEventListener('click', () =>
    loadHistory(true).catch((e) => showStatus(e.message, 'error')),
  );
  subscribe();
  await loadPending(false).catch((error) => showStatus(error.message, 'error'));
}

start();
