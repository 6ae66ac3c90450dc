/** The statements of the durable bus (sqlite-bus.ts), on its two tables. */
import type Database from 'better-sqlite3';

/** A group's first live message, without its body. */
export interface HeadRow {
  seq: number;
  group_id: string;
  receipt: string | null;
  visible_ms: number;
  receive_count: number;
}

/** What a receive or a dead-letter listing returns. */
export interface MessageRow {
  message_id: string;
  group_id: string;
  body: string;
  receive_count: number;
}

/** The bus's statements, prepared once per connection. */
export function prepareBusStatements(db: Database.Database) {
  return {
    claimDedup: db.prepare<[string, number, number], { dedup_id: string }>(
      `INSERT INTO bus_dedup (dedup_id, until_ms) VALUES (?, ?)
       ON CONFLICT (dedup_id) DO UPDATE SET until_ms = excluded.until_ms
       WHERE bus_dedup.until_ms <= ?
       RETURNING dedup_id`,
    ),
    anyExpired: db.prepare<[number], { one: number }>(
      'SELECT 1 AS one FROM bus_dedup WHERE until_ms <= ? LIMIT 1',
    ),
    sweepDedup: db.prepare<[number, number]>(
      `DELETE FROM bus_dedup WHERE dedup_id IN (
         SELECT dedup_id FROM bus_dedup WHERE until_ms <= ? LIMIT ?)`,
    ),
    insert: db.prepare<[string, string, string]>(
      `INSERT INTO bus_messages (message_id, group_id, body)
       VALUES (?, ?, ?)`,
    ),
    release: db.prepare<[number]>(
      `UPDATE bus_messages SET receipt = NULL
       WHERE receipt IS NOT NULL AND visible_ms <= ?`,
    ),
    nextHead: db.prepare<[string], HeadRow>(
      `SELECT seq, group_id, receipt, visible_ms, receive_count
       FROM bus_messages WHERE dead_ms IS NULL AND group_id > ?
       ORDER BY group_id, seq LIMIT 1`,
    ),
    headOf: db.prepare<[string], HeadRow>(
      `SELECT seq, group_id, receipt, visible_ms, receive_count
       FROM bus_messages WHERE dead_ms IS NULL AND group_id = ?
       ORDER BY seq LIMIT 1`,
    ),
    bury: db.prepare<[number, number]>(
      'UPDATE bus_messages SET dead_ms = ?, receipt = NULL WHERE seq = ?',
    ),
    take: db.prepare<[string, number, number], MessageRow>(
      `UPDATE bus_messages
       SET receipt = ?, receive_count = receive_count + 1, visible_ms = ?
       WHERE seq = ?
       RETURNING message_id, group_id, body, receive_count`,
    ),
    ack: db.prepare<[string]>(
      'DELETE FROM bus_messages WHERE receipt = ? AND dead_ms IS NULL',
    ),
    delay: db.prepare<[number, string]>(
      'UPDATE bus_messages SET visible_ms = ? WHERE receipt = ?',
    ),
    handBack: db.prepare<[number, string]>(
      `UPDATE bus_messages SET visible_ms = ?, receipt = NULL
       WHERE receipt = ?`,
    ),
    dead: db.prepare<[], MessageRow>(
      `SELECT message_id, group_id, body, receive_count FROM bus_messages
       WHERE dead_ms IS NOT NULL ORDER BY dead_ms, seq`,
    ),
  };
}
