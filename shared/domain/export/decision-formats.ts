/**
 * The decision dataset's row shape and its two file formats (reference §7
 * "export decisions"): JSON Lines and CSV (RFC 4180).
 */

/** One intent's decision with its latest simulation, risk and policy. */
export interface DecisionRow {
  intent_id: string;
  status: string;
  risk_level: string;
  priority: number;
  retries: number;
  mergeable: boolean | null;
  conflict_count: number | null;
  files_changed_count: number | null;
  risk_score: number | null;
  damage_score: number | null;
  entropy_score: number | null;
  propagation_score: number | null;
  containment_score: number | null;
  entropic_load: number | null;
  contextual_value: number | null;
  complexity_delta: number | null;
  path_dependence: number | null;
  bomb_count: number | null;
  /** Bomb types joined with `,` ('' when none; null without a risk event). */
  bomb_types: string | null;
  policy_verdict: string | null;
  profile_used: string | null;
  graph_nodes: number | null;
  graph_edges: number | null;
  graph_density: number | null;
  tenant_id: string | null;
  created_at: string;
}

/** The columns, in file order (the CSV header, the JSONL key order). */
export const DECISION_COLUMNS = [
  'intent_id',
  'status',
  'risk_level',
  'priority',
  'retries',
  'mergeable',
  'conflict_count',
  'files_changed_count',
  'risk_score',
  'damage_score',
  'entropy_score',
  'propagation_score',
  'containment_score',
  'entropic_load',
  'contextual_value',
  'complexity_delta',
  'path_dependence',
  'bomb_count',
  'bomb_types',
  'policy_verdict',
  'profile_used',
  'graph_nodes',
  'graph_edges',
  'graph_density',
  'tenant_id',
  'created_at',
] as const satisfies readonly (keyof DecisionRow)[];

/** The two export formats. */
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
/** `jsonl` (JSON Lines) or `csv` (RFC 4180). */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The HTTP content type of each format. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** RFC 4180 record separator. */
const CRLF = '\r\n';

/**
 * One JSON Lines record: the row as JSON (keys in column order) and `\n`.
 * @example
 * toJsonl(row); // '{"intent_id":"o/r:pr-1",...}\n'
 */
export function toJsonl(row: DecisionRow): string {
  const ordered: Record<string, unknown> = {};
  for (const column of DECISION_COLUMNS) ordered[column] = row[column];
  return `${JSON.stringify(ordered)}\n`;
}

/**
 * One CSV field (RFC 4180 §2.6-2.7): quoted when it holds a comma, a double
 * quote, CR or LF, with inner quotes doubled. null is an empty field.
 * @example
 * csvField('a "b", c'); // '"a ""b"", c"'
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV header record, CRLF-terminated. */
export function csvHeader(): string {
  return `${DECISION_COLUMNS.join(',')}${CRLF}`;
}

/** One CSV record, CRLF-terminated, fields in column order. */
export function toCsvRow(row: DecisionRow): string {
  return `${DECISION_COLUMNS.map((c) => csvField(row[c])).join(',')}${CRLF}`;
}

/**
 * A whole CSV document: the header, then one record per row.
 * @example
 * toCsv([row]); // 'intent_id,status,...\r\no/r:pr-1,MERGED,...\r\n'
 */
export function toCsv(rows: Iterable<DecisionRow>): string {
  let text = csvHeader();
  for (const row of rows) text += toCsvRow(row);
  return text;
}

/** One row in `format` (no header). */
export function formatRow(row: DecisionRow, format: ExportFormat): string {
  return format === 'csv' ? toCsvRow(row) : toJsonl(row);
}
