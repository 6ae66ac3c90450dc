/** The dashboard sections, each rendered from one API answer. */
import { byId, el, errorNote, shortTime, statusBadge } from './dom.js';

/** Events that decide where an intent is; the newest one explains it. */
const DECISION_EVENTS = new Set([
  'intent.blocked',
  'intent.requeued',
  'intent.rejected',
  'intent.merged',
  'intent.validated',
  'intent.dependency_blocked',
  'intent.merge_failed',
]);

/** Health, queue and compliance figures of `GET /v1/dashboard`. */
export function renderOverview(dashboard) {
  const { health, queue, compliance } = dashboard;
  const figures = [
    ['Health', `${health.health_score} (${health.status})`],
    ['Mergeable rate', `${Math.round(health.mergeable_rate * 100)}%`],
    ['Intents', queue.total],
    ['Pending', queue.pending_count],
    ['Merged (24 h)', health.merged_24h],
    ['Rejected (24 h)', health.rejected_24h],
    ['Compliance', compliance.passed ? 'passing' : 'failing'],
  ];
  const terms = figures.map(([term, value]) =>
    el('div', { class: 'figure' }, el('dt', {}, term), el('dd', {}, value)),
  );
  byId('overview').replaceChildren(el('dl', { class: 'figures' }, ...terms));
}

function branchOf(intent) {
  const repo = intent.technical?.repo;
  return typeof repo === 'string'
    ? `${repo} → ${intent.target}`
    : intent.target;
}

function headRow(...names) {
  return el('tr', {}, ...names.map((n) => el('th', { scope: 'col' }, n)));
}

function queueTable(intents) {
  const rows = intents.map((i) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, i.id),
      el('td', {}, statusBadge(i.status)),
      el('td', {}, i.retries),
      el('td', {}, i.priority),
    ),
  );
  return el(
    'table',
    { class: 'queue-table' },
    el('caption', {}, `${intents.length} pending, in queue order`),
    el('thead', {}, headRow('Intent', 'Status', 'Retries', 'Priority')),
    el('tbody', {}, ...rows),
  );
}

/** `GET /v1/queue/state`: the pending intents grouped by repo and target. */
export function renderQueue(state) {
  const groups = Map.groupBy(state.pending, branchOf);
  const counts = Object.entries(state.by_status)
    .map(([status, n]) => `${status} ${n}`)
    .join(' · ');
  const parts = [
    el('p', { class: 'muted' }, `${state.total} intents: ${counts}`),
  ];
  if (groups.size === 0) {
    parts.push(el('p', {}, 'Nothing is waiting in the queue.'));
  }
  for (const [branch, intents] of groups) {
    parts.push(el('h3', { class: 'branch' }, branch), queueTable(intents));
  }
  byId('queue').replaceChildren(...parts);
}

/** One row per intent; the "why" cells are filled by `explain`. */
export function renderIntents(items) {
  const rows = items.map((i) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, i.id),
      el('td', {}, `${i.source} → ${i.target}`),
      el('td', {}, statusBadge(i.status)),
      el('td', {}, i.retries),
      el('td', { class: 'why', 'data-intent-id': i.id }, '…'),
      el('td', {}, shortTime(i.updated_at)),
    ),
  );
  if (rows.length === 0) {
    rows.push(el('tr', {}, el('td', { colspan: 6 }, 'No intents.')));
  }
  byId('intents').tBodies[0].replaceChildren(...rows);
}

/** The intents table when the list could not be read. */
export function intentsFailed(error) {
  const cell = el('td', { colspan: 6 }, errorNote(error));
  byId('intents').tBodies[0].replaceChildren(el('tr', {}, cell));
}

function reasonOf(payload) {
  if (typeof payload.reason === 'string') return payload.reason;
  if (typeof payload.merged_commit === 'string') {
    return `as ${payload.merged_commit}`;
  }
  return '';
}

/** The decision word and reason of the newest decision event, or null. */
export function latestDecision(events) {
  const event = events.find((e) => DECISION_EVENTS.has(e.event_type));
  if (!event) return null;
  const word = event.event_type.slice('intent.'.length).replaceAll('_', ' ');
  return { word, reason: reasonOf(event.payload ?? {}), at: event.timestamp };
}

/** Fills a "why" cell from the intent's events (newest first). */
export function renderWhy(cell, events) {
  const decision = latestDecision(events);
  if (!decision) {
    cell.replaceChildren('No decision yet');
    return;
  }
  cell.replaceChildren(
    el('span', { class: 'decision' }, decision.word),
    ' ',
    decision.reason,
  );
  cell.title = `Decided ${shortTime(decision.at)}`;
}

function alertItem(severity, text) {
  return el(
    'li',
    { class: `alert severity-${severity}` },
    el('strong', {}, severity),
    ' ',
    text,
  );
}

function alertList(items, none) {
  const shown = items.length > 0 ? items : [el('li', { class: 'ok' }, none)];
  return el('ul', { class: 'alerts' }, ...shown);
}

/** `GET /v1/dashboard/alerts`: compliance alerts, then predicted issues. */
export function renderAlerts(alerts) {
  const compliance = alerts.compliance_alerts.map((a) =>
    alertItem('high', `${a.alert}: ${a.value}, needs ${a.op} ${a.threshold}`),
  );
  const signals = [
    ...alerts.prediction_signals.map((s) => alertItem(s.severity, s.message)),
    ...alerts.health_signals.map((s) => alertItem(s.severity, s.message)),
  ];
  byId('alerts').replaceChildren(
    el('h3', {}, 'Compliance'),
    alertList(compliance, 'All compliance checks pass.'),
    el('h3', {}, 'Predicted issues and health signals'),
    alertList(signals, 'No signals.'),
  );
}
