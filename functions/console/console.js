// Tessera console: after the account or a server token is pasted, looks users up with their live tokens
// (revoke one or all, after a confirmation) and lists the ecosystems, collapsed, each drawing its usage
// charts (inline SVG, from GET .../usage) when opened. It calls the public API on the same origin; the
// credential stays in this page's memory only, until Disconnect forgets it.

const SVG = 'http://www.w3.org/2000/svg';
const DAY_MS = 86_400_000;
const REFUSAL_COLORS = {
  TOKEN_STRUCTURE_INVALID: '#8c564b',
  TOKEN_SIGNATURE_INVALID: '#d62728',
  TOKEN_EXPIRED: '#ff7f0e',
  TOKEN_NOT_YET_VALID: '#9467bd',
  TOKEN_AUDIENCE_INVALID: '#17becf',
  TOKEN_REVOKED: '#1f77b4',
  TOKEN_REUSED: '#e377c2',
};
const SERIES = [
  ['newActiveIdentities', 'New active identities'],
  ['issued', 'Issued'],
  ['verified', 'Verified'],
  ['refreshed', 'Refreshed'],
  ['revoked', 'Revoked'],
  ['noIdentity', 'No identity (refusals naming no known user)'],
];

let credential = '';
let ecosystems = [];

const $ = (id) => document.getElementById(id);

/** An element with text and attributes; text goes in as text, never as markup. */
function el(name, attributes = {}, text = undefined) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function svg(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/** The status line: `kind` is 'error', 'ok' (a success) or '' (information). */
function status(message, kind = '') {
  const line = $('status');
  line.textContent = message;
  line.className = kind;
}

/** Calls the API with the pasted credential; throws an Error whose message names the API's code. */
async function api(method, path) {
  const response = await fetch(path, { method, headers: { authorization: `Bearer ${credential}` } });
  if (response.status === 204) return undefined;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body.error ?? { code: `HTTP_${response.status}`, message: response.statusText };
    throw new Error(`${error.code}: ${error.message}`);
  }
  return body;
}

const segment = encodeURIComponent;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * A bar chart: one column per day; `stack` lists [key, color] pairs stacked in each column. Every bar is a
 * <rect> with data-date, data-series and data-value, and a <title> a person sees on hover.
 */
function barChart(name, caption, days, stack) {
  const width = 600;
  const height = 100;
  const totals = days.map((day) => stack.reduce((sum, [, , value]) => sum + value(day), 0));
  const max = Math.max(1, ...totals);
  const slot = width / Math.max(1, days.length);
  const chart = svg('svg', {
    class: 'chart',
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': caption,
    'data-chart': name,
  });
  days.forEach((day, i) => {
    let base = height;
    for (const [key, color, value] of stack) {
      const v = value(day);
      const h = (v / max) * (height - 4);
      base -= h;
      const bar = svg('rect', {
        x: i * slot + slot * 0.1,
        y: base,
        width: slot * 0.8,
        height: h,
        fill: color,
        'data-date': day.date,
        'data-series': key,
        'data-value': v,
      });
      const title = svg('title');
      title.textContent = `${day.date} ${key}: ${v}`;
      bar.append(title);
      chart.append(bar);
    }
  });
  const figure = el('figure');
  const total = totals.reduce((a, b) => a + b, 0);
  figure.append(
    el('figcaption', {}, `${caption}: ${total} (max ${Math.max(0, ...totals)} in a column)`),
    chart,
  );
  const axis = el('div', { class: 'axis' });
  axis.append(el('span', {}, days[0]?.date ?? ''), el('span', {}, days.at(-1)?.date ?? ''));
  figure.append(axis);
  if (stack.length > 1) {
    const legend = el('div', { class: 'legend' });
    for (const [key, color] of stack) {
      const item = el('span');
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = color;
      item.append(swatch, document.createTextNode(key));
      legend.append(item);
    }
    figure.append(legend);
  }
  return figure;
}

function usageCharts(report) {
  const charts = el('div', { class: 'charts' });
  const months = report.months.map((m) => ({ date: m.month, activeIdentities: m.activeIdentities }));
  charts.append(
    barChart('activeIdentities', 'Monthly active identities', months, [
      ['activeIdentities', '#2a9d8f', (month) => month.activeIdentities],
    ]),
  );
  for (const [key, caption] of SERIES) {
    charts.append(barChart(key, caption, report.days, [[key, '#3d6fb6', (day) => day[key]]]));
  }
  const codes = Object.keys(report.days[0]?.refused ?? REFUSAL_COLORS);
  const stack = codes.map((code) => [code, REFUSAL_COLORS[code] ?? '#7f7f7f', (day) => day.refused[code]]);
  charts.append(barChart('refused', 'Refused, by code', report.days, stack));
  return charts;
}

const range = () => ({ from: $('from').value, to: $('to').value });

/** Draws an opened ecosystem's usage for the chosen range, once per range. */
async function loadUsage(box, eco) {
  const { from, to } = range();
  if (box.dataset.range === `${from}/${to}`) return;
  box.dataset.range = `${from}/${to}`;
  const body = box.querySelector('.body');
  body.replaceChildren(el('p', { class: 'summary' }, 'Loading usage…'));
  try {
    const path = `/v1/ecosystems/${segment(eco.ecosystemId)}/usage?from=${from}&to=${to}`;
    const report = await api('GET', path);
    const months = report.months.map((m) => `${m.month}: ${m.activeIdentities}`).join(', ');
    body.replaceChildren(
      el('p', { class: 'summary', 'data-months': '' }, `Monthly active identities: ${months}`),
      usageCharts(report),
    );
  } catch (err) {
    delete box.dataset.range;
    body.replaceChildren(el('p', { class: 'summary' }, `Usage unavailable: ${err.message}`));
  }
}

/** One ecosystem, collapsed: its name and id; the charts are fetched and drawn when it is opened. */
function ecosystemBox(eco) {
  const box = el('details', { class: 'ecosystem', 'data-ecosystem': eco.ecosystemId });
  const summary = el('summary');
  summary.append(el('span', { class: 'name' }, eco.name ?? 'unnamed'), el('code', {}, eco.ecosystemId));
  box.append(summary, el('div', { class: 'body' }));
  box.addEventListener('toggle', () => {
    if (box.open) void loadUsage(box, eco);
  });
  return box;
}

function showEcosystems() {
  const boxes = ecosystems.map(ecosystemBox);
  $('ecosystem-list').replaceChildren(...boxes);
  if (boxes.length === 1) boxes[0].open = true; // a server token's one ecosystem: nothing to choose
}

/** Asks in a modal dialog; resolves true only when the person presses the action button. */
function ask(question, action) {
  const dialog = $('confirm');
  $('confirm-text').textContent = question;
  $('confirm-ok').textContent = action;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

/** The columns of the live-token table, in order: each a member of GET .../tokens' entries. */
const TOKEN_COLUMNS = [
  'tokenId',
  'label',
  'expiryType',
  'issuedAt',
  'expiresAt',
  'absoluteExpiresAt',
  'lastUsedAt',
  'status',
];

/** A revoke button: asks first, calls the API, shows the user's tokens again and says it is done. */
function revokeButton({ label, attributes, question, path, done, user }) {
  const button = el('button', { type: 'button', class: 'danger', ...attributes }, label);
  button.addEventListener('click', async () => {
    if (!(await ask(question, label))) return;
    button.disabled = true;
    try {
      await api('DELETE', path);
      await lookUp(user.ecosystemId, user.userId);
      status(done, 'ok');
    } catch (err) {
      button.disabled = false;
      status(err.message, 'error');
    }
  });
  return button;
}

function tokenRow(user, token) {
  const row = el('tr', { 'data-token': token.tokenId });
  for (const key of TOKEN_COLUMNS) row.append(el('td', { 'data-label': key }, token[key] ?? '-'));
  const cell = el('td', { class: 'action' });
  const button = revokeButton({
    label: 'Revoke',
    attributes: { 'data-revoke': token.tokenId },
    question: `Revoke token ${token.tokenId} of user ${user.userId}? It stops verifying at once.`,
    path: `${userPath(user)}/tokens/${segment(token.tokenId)}`,
    done: `Revoked token ${token.tokenId} of user ${user.userId}.`,
    user,
  });
  cell.append(button);
  row.append(cell);
  return row;
}

const userPath = (user) => `/v1/ecosystems/${segment(user.ecosystemId)}/users/${segment(user.userId)}`;

async function lookUp(ecosystemId, userId) {
  const base = userPath({ ecosystemId, userId });
  const [user, { tokens }] = await Promise.all([api('GET', base), api('GET', `${base}/tokens`)]);
  const table = el('table', { id: 'tokens' });
  const head = el('tr');
  for (const name of [...TOKEN_COLUMNS, '']) head.append(el('th', {}, name));
  table.append(head, ...tokens.map((token) => tokenRow(user, token)));
  const count = el('p', { class: 'count' }, `${tokens.length} live token(s)`);
  if (tokens.length > 0) {
    const all = revokeButton({
      label: 'Revoke all',
      attributes: { id: 'revoke-all' },
      question: `Revoke every token of user ${user.userId} issued so far? Tokens issued later still work.`,
      path: `${base}/tokens`,
      done: `Revoked every token of user ${user.userId}.`,
      user,
    });
    count.append(' ', all);
  }
  $('user').replaceChildren(
    el('h3', {}, `User ${user.userId} (created ${user.createdAt})`),
    el('pre', { id: 'metadata' }, JSON.stringify(user.metadata, null, 2)),
    count,
    ...(tokens.length > 0 ? [table] : []),
  );
}

async function connect(event) {
  event.preventDefault();
  credential = $('credential').value.trim();
  $('credential').value = '';
  const serverEcosystem = credential.startsWith('tss.') ? (credential.split('.')[1] ?? '') : undefined;
  try {
    ecosystems =
      serverEcosystem === undefined
        ? (await api('GET', '/v1/ecosystems')).ecosystems
        : [await api('GET', `/v1/ecosystems/${segment(serverEcosystem)}`)];
  } catch (err) {
    credential = '';
    status(`Could not connect: ${err.message}`, 'error');
    return;
  }
  $('user-ecosystem').replaceChildren(
    ...ecosystems.map((e) => {
      const label = e.name === null ? e.ecosystemId : `${e.name} (${e.ecosystemId})`; // names may repeat
      return el('option', { value: e.ecosystemId }, label);
    }),
  );
  $('session-label').textContent =
    serverEcosystem === undefined
      ? 'Connected with the account token.'
      : `Connected with a server token of ${ecosystems[0]?.name ?? serverEcosystem}.`;
  $('connect').hidden = true;
  $('session').hidden = false;
  $('main').hidden = false;
  showEcosystems();
  status(`${ecosystems.length} ecosystem(s).`);
}

/** Forgets the credential and everything read with it, back to the empty page. */
function disconnect() {
  credential = '';
  ecosystems = [];
  for (const id of ['user', 'ecosystem-list', 'user-ecosystem']) $(id).replaceChildren();
  $('user-id').value = '';
  $('main').hidden = true;
  $('session').hidden = true;
  $('connect').hidden = false;
  $('credential').focus();
  status('Disconnected: the credential is forgotten.');
}

function start() {
  const today = Date.now();
  $('to').value = isoDay(today);
  $('from').value = isoDay(today - 29 * DAY_MS);
  $('connect').addEventListener('submit', connect);
  $('disconnect').addEventListener('click', disconnect);
  $('confirm-ok').addEventListener('click', () => $('confirm').close('ok'));
  $('confirm-cancel').addEventListener('click', () => $('confirm').close('cancel'));
  $('range').addEventListener('submit', (event) => {
    event.preventDefault();
    for (const box of document.querySelectorAll('details.ecosystem[open]')) {
      const eco = ecosystems.find((e) => e.ecosystemId === box.dataset.ecosystem);
      if (eco !== undefined) void loadUsage(box, eco);
    }
    const { from, to } = range();
    status(`Usage from ${from} to ${to} (UTC).`);
  });
  $('user-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await lookUp($('user-ecosystem').value, $('user-id').value.trim());
      status('');
    } catch (err) {
      $('user').replaceChildren();
      status(err.message, 'error');
    }
  });
}

start();
