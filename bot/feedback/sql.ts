/**
 * The two homes of the feedback tables behind one small interface, so that
 * feedback-store.ts writes each statement once: a SQLite file beside the index
 * builds in INDEX_DIR (never inside a build: builds are swapped and pruned),
 * or the shared database with DATABASE_URL (its tables come with the
 * project's migrations). Statements use PostgreSQL's $1, $2… placeholders,
 * which SQLite reads as the named parameters 1, 2…
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FEEDBACK_TABLES, SharedDatabase } from '../../retrieval/api.js';

export interface Sql {
  /** Where the tables are, for messages (a file, or the database without its password). */
  readonly location: string;
  /** Runs one statement and resolves with the rows it returns (none for a statement without RETURNING). */
  query<Row>(statement: string, params?: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export const FEEDBACK_FILE = 'feedback.sqlite';

/** Waiting for the bot's write to finish when `npm run feedback` reads, or the other way round. */
const BUSY_WAIT_MS = 5_000;

class SqliteSql implements Sql {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly location: string,
    private readonly db: Database.Database,
  ) {}

  async query<Row>(statement: string, params: readonly unknown[] = []): Promise<Row[]> {
    let prepared = this.statements.get(statement);
    if (!prepared) this.statements.set(statement, (prepared = this.db.prepare(statement)));
    const named = Object.fromEntries(params.map((value, i) => [i + 1, value]));
    if (prepared.reader) return prepared.all(named) as Row[];
    prepared.run(named);
    return [];
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** INDEX_DIR/feedback.sqlite, created with its tables when missing. Several processes may use it at once (WAL). */
export function openSqliteFeedback(indexDir: string): Sql {
  fs.mkdirSync(indexDir, { recursive: true });
  const file = path.join(indexDir, FEEDBACK_FILE);
  const db = new Database(file, { timeout: BUSY_WAIT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(FEEDBACK_TABLES);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteSql(file, db);
}

/** The feedback tables in the shared database: one small pool, migrated on first use. */
export function openSharedFeedback(url: string): Sql {
  const database = new SharedDatabase(url, 2);
  return {
    location: database.location,
    query: async <Row>(statement: string, params: readonly unknown[] = []) => {
      const pool = await database.connected();
      return (await pool.query(statement, [...params])).rows as Row[];
    },
    close: () => database.close(),
  };
}
