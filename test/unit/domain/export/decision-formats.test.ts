import { describe, expect, it } from 'vitest';
import {
  csvField,
  csvHeader,
  DECISION_COLUMNS,
  type DecisionRow,
  formatRow,
  toCsv,
  toJsonl,
} from '../../../../shared/domain/export/decision-formats.js';

function aRow(overrides: Partial<DecisionRow> = {}): DecisionRow {
  return {
    intent_id: 'o/r:pr-1',
    status: 'MERGED',
    risk_level: 'medium',
    priority: 3,
    retries: 0,
    mergeable: true,
    conflict_count: 0,
    files_changed_count: 2,
    risk_score: 14.2,
    damage_score: 21.7,
    entropy_score: 7,
    propagation_score: 7.9,
    containment_score: 0.87,
    entropic_load: 7,
    contextual_value: 38.4,
    complexity_delta: 10,
    path_dependence: 2,
    bomb_count: 0,
    bomb_types: '',
    policy_verdict: 'ALLOW',
    profile_used: 'medium',
    graph_nodes: 3,
    graph_edges: 1,
    graph_density: 0.1667,
    tenant_id: null,
    created_at: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A minimal RFC 4180 reader, to prove the output parses back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  const token = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n)/y;
  let consumed = 0;
  let match = token.exec(text);
  while (match) {
    consumed = token.lastIndex;
    const [, raw = '', end] = match;
    const quoted = raw.startsWith('"');
    record.push(quoted ? raw.slice(1, -1).replaceAll('""', '"') : raw);
    if (end === '\r\n') {
      records.push(record);
      record = [];
    }
    match = token.exec(text);
  }
  expect(consumed).toBe(text.length);
  return records;
}

describe('decision formats', () => {
  it('quotes commas, quotes, CR and LF as RFC 4180 requires', () => {
    // Prepare / Act / Assess
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(false)).toBe('false');
    expect(csvField(0.1667)).toBe('0.1667');
  });

  it('writes a header and CRLF records that parse back to the same cells', () => {
    // Prepare
    const tricky = aRow({
      intent_id: 'o/r:pr-"2", with comma',
      bomb_types: 'cascade,spiral',
      profile_used: 'multi\nline',
      tenant_id: 'acme',
    });
    // Act
    const csv = toCsv([aRow(), tricky]);
    const records = parseCsv(csv);
    // Assess
    expect(csv.startsWith(csvHeader())).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual([...DECISION_COLUMNS]);
    const cell = (name: (typeof DECISION_COLUMNS)[number]) =>
      records[2]?.[DECISION_COLUMNS.indexOf(name)];
    expect(cell('intent_id')).toBe('o/r:pr-"2", with comma');
    expect(cell('bomb_types')).toBe('cascade,spiral');
    expect(cell('profile_used')).toBe('multi\nline');
    expect(cell('tenant_id')).toBe('acme');
    expect(records[1]?.[DECISION_COLUMNS.indexOf('tenant_id')]).toBe('');
  });

  it('writes one JSON object per line, keys in column order', () => {
    // Prepare
    const row = aRow({ intent_id: 'line\nbreak' });
    // Act
    const line = toJsonl(row);
    // Assess
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(Object.keys(JSON.parse(line))).toEqual([...DECISION_COLUMNS]);
    expect(JSON.parse(line)).toEqual(row);
    expect(formatRow(row, 'jsonl')).toBe(line);
  });

  it('has exactly the columns of a row', () => {
    // Prepare / Act / Assess
    expect(Object.keys(aRow()).sort()).toEqual([...DECISION_COLUMNS].sort());
  });
});
