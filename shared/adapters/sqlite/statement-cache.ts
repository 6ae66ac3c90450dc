import type Database from 'better-sqlite3';

/**
 * Prepares each distinct SQL text once per connection. Used for the few
 * queries whose WHERE clause depends on which filters a caller gave; the
 * number of variants is bounded by the filter combinations.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The prepared statement of `sql` (rows typed `Row`), prepared once. */
  get<Row>(sql: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as Database.Statement<unknown[], Row>;
  }
}
