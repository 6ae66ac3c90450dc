/**
 * How a decision reads on GitHub: the check run's title and markdown
 * summary, and the commit status's one-line description.
 */
import type { DecisionToPublish } from '../../ports/publisher.js';

/** GitHub's limit on a commit status description. */
const STATUS_DESCRIPTION_MAX = 140;
/** GitHub's limit on a check run summary is 65 535 characters. */
const SUMMARY_MAX = 60_000;

/** Escapes table-breaking characters in a markdown cell. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function riskText(score: number | null): string {
  return score === null ? 'n/a' : String(score);
}

/** `Converge: validated (risk 12.5)`. */
export function decisionTitle(input: DecisionToPublish): string {
  const risk =
    input.riskScore === null ? '' : ` (risk ${riskText(input.riskScore)})`;
  return `Converge: ${input.decision}${risk}`;
}

/**
 * The check run summary: a markdown table with the decision, risk score,
 * verdict, reasons, bombs and trace id.
 *
 * @example
 * ```ts
 * decisionSummary(input);
 * // | Field | Value |\n|---|---|\n| Decision | **blocked** | ...
 * ```
 */
export function decisionSummary(input: DecisionToPublish): string {
  const reasons = input.reasons.length > 0 ? input.reasons : [input.reason];
  const rows: [string, string][] = [
    ['Decision', `**${input.decision}**`],
    ['Risk score', riskText(input.riskScore)],
    ['Verdict', input.verdict ?? 'n/a'],
    ['Reasons', reasons.filter((r) => r !== '').join('<br>') || 'none'],
    ['Bombs', input.bombs.length > 0 ? input.bombs.join(', ') : 'none'],
    ['Intent', `\`${input.intentId}\``],
    ['Trace id', `\`${input.traceId}\``],
  ];
  if (input.mergedSha !== undefined) {
    rows.push(['Merged commit', `\`${input.mergedSha}\``]);
  }
  const table = [
    '| Field | Value |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
  ].join('\n');
  return table.length > SUMMARY_MAX ? table.slice(0, SUMMARY_MAX) : table;
}

/** `blocked: Checks failed: lint` in at most 140 characters. */
export function statusDescription(input: DecisionToPublish): string {
  const text = input.reason
    ? `${input.decision}: ${input.reason}`
    : input.decision;
  if (text.length <= STATUS_DESCRIPTION_MAX) return text;
  return `${text.slice(0, STATUS_DESCRIPTION_MAX - 1)}…`;
}
