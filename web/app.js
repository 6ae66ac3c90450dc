/**
 * The Converge dashboard: plain ES modules, no build step, no dependency.
 * It reads the API at this page's origin, or at `?api=<base URL>` when the
 * page is deployed apart from the API, with the key kept in sessionStorage.
 */
import { lineChart } from './chart.js';
import { byId, errorNote, shortTime } from './dom.js';
import {
  intentsFailed,
  renderAlerts,
  renderIntents,
  renderOverview,
  renderQueue,
  renderWhy,
} from './sections.js';

const KEY_STORAGE = 'converge.api-key';
const INTENT_LIMIT = 50;
const EVENT_FETCHES_AT_ONCE = 4;

function apiBaseOf(location) {
  const api = new URLSearchParams(location.search).get('api');
  return (api || location.origin).replace(/\/+$/, '');
}

const session = {
  base: apiBaseOf(window.location),
  key: sessionStorage.getItem(KEY_STORAGE),
};

class AuthError extends Error {}

async function api(path) {
  const res = await fetch(`${session.base}${path}`, {
    headers: { accept: 'application/json', 'x-api-key': session.key ?? '' },
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) throw new AuthError('The API key was refused.');
  if (!res.ok) {
    throw new Error(`${res.status}: ${body.message ?? res.statusText}`);
  }
  return body;
}

function setStatus(text) {
  byId('status').textContent = text;
}

/** Renders a fulfilled result, or the error in place of the section body. */
function settle(result, id, render) {
  if (result.status === 'fulfilled') render(result.value);
  else byId(id).replaceChildren(errorNote(result.reason));
}

async function explain(intent, cell) {
  try {
    const id = encodeURIComponent(intent.id);
    const page = await api(`/v1/intents/${id}/events?limit=20`);
    renderWhy(cell, page.items);
  } catch (error) {
    cell.replaceChildren(errorNote(error));
  }
}

/** Fills every "why" cell, a few event reads at a time. */
async function explainAll(items) {
  const todo = [...document.querySelectorAll('td.why')].map((cell) => ({
    cell,
    intent: items.find((i) => i.id === cell.dataset.intentId),
  }));
  const worker = async () => {
    for (let next = todo.shift(); next; next = todo.shift()) {
      if (next.intent) await explain(next.intent, next.cell);
    }
  };
  await Promise.all(Array.from({ length: EVENT_FETCHES_AT_ONCE }, worker));
}

function renderCharts(dashboard, health) {
  settle(dashboard, 'risk-chart', (d) => {
    const points = d.risk_trend.map((p) => ({
      at: p.timestamp,
      value: p.risk_score,
    }));
    lineChart(byId('risk-chart'), points, 'Risk score');
  });
  settle(health, 'health-chart', (h) => {
    const points = h.items.map((p) => ({
      at: p.timestamp,
      value: p.health_score,
    }));
    lineChart(byId('health-chart'), points, 'Health score');
  });
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  session.key = null;
  byId('dashboard').hidden = true;
  byId('actions').hidden = true;
  byId('key-form').hidden = false;
  byId('api-key').focus();
  setStatus(message);
}

async function refresh() {
  const main = byId('dashboard');
  main.setAttribute('aria-busy', 'true');
  setStatus('Loading…');
  const status = byId('status-filter').value;
  const filter = status ? `&status=${encodeURIComponent(status)}` : '';
  const results = await Promise.allSettled([
    api('/v1/dashboard?risk_trend_days=30'),
    api('/v1/queue/state'),
    api(`/v1/intents?limit=${INTENT_LIMIT}${filter}`),
    api('/v1/health/repo/trend?days=30'),
    api('/v1/dashboard/alerts'),
  ]);
  if (results.some((r) => r.reason instanceof AuthError)) {
    signOut('The API key was refused. Enter another one.');
    return;
  }
  const [dashboard, queue, intents, health, alerts] = results;
  settle(dashboard, 'overview', renderOverview);
  settle(queue, 'queue', renderQueue);
  settle(alerts, 'alerts', renderAlerts);
  renderCharts(dashboard, health);
  if (intents.status === 'fulfilled') {
    renderIntents(intents.value.items);
    await explainAll(intents.value.items);
  } else {
    intentsFailed(intents.reason);
  }
  main.setAttribute('aria-busy', 'false');
  const asOf = dashboard.value?.timestamp ?? new Date().toISOString();
  setStatus(`Data as of ${shortTime(asOf)}`);
}

function openDashboard() {
  byId('key-form').hidden = true;
  byId('dashboard').hidden = false;
  byId('actions').hidden = false;
  refresh().catch((error) => setStatus(`Refresh failed: ${error.message}`));
}

function start() {
  byId('api-base').textContent = `API: ${session.base}`;
  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    session.key = byId('api-key').value.trim();
    byId('api-key').value = '';
    sessionStorage.setItem(KEY_STORAGE, session.key);
    openDashboard();
  });
  byId('refresh').addEventListener('click', openDashboard);
  byId('forget-key').addEventListener('click', () => signOut('Key forgotten.'));
  byId('status-filter').addEventListener('change', openDashboard);
  if (session.key) openDashboard();
  else signOut('Enter an API key to open the dashboard.');
}

start();
