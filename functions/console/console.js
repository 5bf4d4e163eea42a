// Tessera console: after the account or a server token is pasted, lists the ecosystems with their usage
// charts (inline SVG, drawn from GET .../usage) and looks users up with their live tokens and revoke
// buttons. It calls the public API on the same origin; the credential stays in this page's memory only.

const SVG = 'http://www.w3.org/2000/svg';
const DAY_MS = 86_400_000;
const REFUSAL_COLORS = {
  TOKEN_STRUCTURE_INVALID: '#8c564b',
  TOKEN_SIGNATURE_INVALID: '#d62728',
  TOKEN_EXPIRED: '#ff7f0e',
  TOKEN_NOT_YET_VALID: '#9467bd',
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

function status(message, error = false) {
  const line = $('status');
  line.textContent = message;
  line.classList.toggle('error', error);
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

async function showEcosystem(container, eco) {
  const box = el('article', { class: 'ecosystem', 'data-ecosystem': eco.ecosystemId });
  box.append(el('h3', {}, eco.name === null ? eco.ecosystemId : `${eco.name} (${eco.ecosystemId})`));
  container.append(box);
  try {
    const query = `from=${$('from').value}&to=${$('to').value}`;
    const report = await api('GET', `/v1/ecosystems/${segment(eco.ecosystemId)}/usage?${query}`);
    const months = report.months.map((m) => `${m.month}: ${m.activeIdentities}`).join(', ');
    box.append(el('p', { class: 'summary', 'data-months': '' }, `Monthly active identities: ${months}`));
    box.append(usageCharts(report));
  } catch (err) {
    box.append(el('p', { class: 'summary' }, `Usage unavailable: ${err.message}`));
  }
}

async function showEcosystems() {
  const list = $('ecosystem-list');
  list.replaceChildren();
  for (const eco of ecosystems) await showEcosystem(list, eco);
  status(`Showing ${ecosystems.length} ecosystem(s), ${$('from').value} to ${$('to').value} (UTC).`);
}

/** The columns of the live-token table, in order: each a member of GET .../tokens' entries. */
const TOKEN_COLUMNS = [
  'tokenId',
  'expiryType',
  'issuedAt',
  'expiresAt',
  'absoluteExpiresAt',
  'lastUsedAt',
  'status',
];

function tokenRow(ecosystemId, userId, token) {
  const row = el('tr', { 'data-token': token.tokenId });
  for (const key of TOKEN_COLUMNS) {
    row.append(el('td', {}, token[key] ?? '-'));
  }
  const cell = el('td');
  const revoke = el('button', { type: 'button', 'data-revoke': token.tokenId }, 'Revoke');
  revoke.addEventListener('click', async () => {
    revoke.disabled = true;
    try {
      await api(
        'DELETE',
        `/v1/ecosystems/${segment(ecosystemId)}/users/${segment(userId)}/tokens/${segment(token.tokenId)}`,
      );
      status(`Revoked token ${token.tokenId}.`);
      await lookUp(ecosystemId, userId);
    } catch (err) {
      revoke.disabled = false;
      status(err.message, true);
    }
  });
  cell.append(revoke);
  row.append(cell);
  return row;
}

async function lookUp(ecosystemId, userId) {
  const box = $('user');
  const base = `/v1/ecosystems/${segment(ecosystemId)}/users/${segment(userId)}`;
  const [user, { tokens }] = await Promise.all([api('GET', base), api('GET', `${base}/tokens`)]);
  const table = el('table', { id: 'tokens' });
  const head = el('tr');
  for (const name of [...TOKEN_COLUMNS, '']) {
    head.append(el('th', {}, name));
  }
  table.append(head, ...tokens.map((token) => tokenRow(ecosystemId, userId, token)));
  box.replaceChildren(
    el('h3', {}, `User ${user.userId} (created ${user.createdAt})`),
    el('pre', { id: 'metadata' }, JSON.stringify(user.metadata, null, 2)),
    el('p', {}, `${tokens.length} live token(s)`),
    table,
  );
}

async function connect(event) {
  event.preventDefault();
  credential = $('credential').value.trim();
  $('credential').value = '';
  try {
    if (credential.startsWith('tss.')) {
      ecosystems = [await api('GET', `/v1/ecosystems/${segment(credential.split('.')[1] ?? '')}`)];
    } else {
      ecosystems = (await api('GET', '/v1/ecosystems')).ecosystems;
    }
  } catch (err) {
    status(`Could not connect: ${err.message}`, true);
    return;
  }
  const select = $('user-ecosystem');
  select.replaceChildren(
    ...ecosystems.map((e) => el('option', { value: e.ecosystemId }, e.name ?? e.ecosystemId)),
  );
  $('main').hidden = false;
  await showEcosystems();
}

function start() {
  const today = Date.now();
  $('to').value = isoDay(today);
  $('from').value = isoDay(today - 29 * DAY_MS);
  $('connect').addEventListener('submit', connect);
  $('range').addEventListener('submit', (event) => {
    event.preventDefault();
    void showEcosystems();
  });
  $('user-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await lookUp($('user-ecosystem').value, $('user-id').value.trim());
      status('');
    } catch (err) {
      $('user').replaceChildren();
      status(err.message, true);
    }
  });
}

start();
