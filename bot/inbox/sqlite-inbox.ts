/**
 * The embedded inbox: INDEX_DIR/inbox.sqlite, beside the index builds (never
 * inside one: builds are swapped and pruned).
 *
 * One bot process uses it at a time, and holds SQLite's exclusive lock for as
 * long as it runs (a second process gets a clear message instead of answering
 * the same updates). So claims need no expiry: a claim left in the file was
 * made by a process that is gone, and opening the file releases it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Update } from 'grammy/types';
import { storedUpdate, type Inbox, type InboxEntry } from './inbox.js';

export const INBOX_FILE = 'inbox.sqlite';

/** How long opening waits for another process's lock before saying the file is in use. */
const BUSY_WAIT_MS = 2_000;

const TABLES = `
CREATE TABLE IF NOT EXISTS inbox (
  update_id INTEGER PRIMARY KEY,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed INTEGER NOT NULL DEFAULT 0,
  done_at INTEGER);
CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (update_id) WHERE done_at IS NULL;
CREATE INDEX IF NOT EXISTS inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL;`;

/** The inbox file is held by another process. */
export class InboxInUse extends Error {}

export class SqliteInbox implements Inbox {
  private readonly insert: Database.Statement;
  private readonly claimStatement: Database.Statement;
  private readonly doneStatement: Database.Statement;
  private readonly releaseStatement: Database.Statement;
  private readonly pruneStatement: Database.Statement;
  private readonly addAll: (updates: readonly Update[]) => Update[];

  private constructor(
    readonly location: string,
    private readonly db: Database.Database,
  ) {
    this.insert = db.prepare(`
      INSERT INTO inbox (update_id, body, received_at, attempts, claimed) VALUES (?, ?, ?, 1, 1)
      ON CONFLICT (update_id) DO NOTHING RETURNING update_id`);
    this.claimStatement = db.prepare(`
      UPDATE inbox SET claimed = 1, attempts = attempts + 1
      WHERE update_id IN (SELECT update_id FROM inbox WHERE done_at IS NULL AND claimed = 0 ORDER BY update_id LIMIT ?)
      RETURNING update_id, body, attempts`);
    this.doneStatement = db.prepare('UPDATE inbox SET done_at = ? WHERE update_id = ?');
    this.releaseStatement = db.prepare('UPDATE inbox SET claimed = 0 WHERE done_at IS NULL AND claimed = 1');
    this.pruneStatement = db.prepare('DELETE FROM inbox WHERE done_at < ?');
    this.addAll = db.transaction((updates: readonly Update[]) => {
      const now = Date.now();
      return updates.filter((update) => this.insert.get(update.update_id, JSON.stringify(update), now) !== undefined);
    });
  }

  /** INDEX_DIR/inbox.sqlite, created when missing; claims of a process that died are released. */
  static open(indexDir: string): SqliteInbox {
    fs.mkdirSync(indexDir, { recursive: true });
    const file = path.join(indexDir, INBOX_FILE);
    const db = new Database(file, { timeout: BUSY_WAIT_MS });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      // Every commit reaches the disk before Telegram is told the update arrived (WAL's default NORMAL could lose the last ones in a power cut).
      db.pragma('synchronous = FULL');
      db.exec(TABLES);
      const inbox = new SqliteInbox(file, db);
      inbox.releaseStatement.run(); // the first write takes the exclusive lock
      return inbox;
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new InboxInUse(`${file} is in use by another bot process: run one bot per INDEX_DIR (replicas share DATABASE_URL instead).`);
      }
      throw error;
    }
  }

  async add(updates: readonly Update[]): Promise<InboxEntry[]> {
    return this.addAll(updates)
      .sort((a, b) => a.update_id - b.update_id)
      .map((update) => ({ update, attempts: 1 }));
  }

  async claim(limit: number): Promise<InboxEntry[]> {
    const rows = this.claimStatement.all(limit) as { update_id: number; body: string; attempts: number }[];
    return rows.sort((a, b) => a.update_id - b.update_id).map((row) => ({ update: storedUpdate(row.body), attempts: row.attempts }));
  }

  async done(updateId: number): Promise<void> {
    this.doneStatement.run(Date.now(), updateId);
  }

  async release(): Promise<void> {
    this.releaseStatement.run();
  }

  async prune(before: Date): Promise<number> {
    return this.pruneStatement.run(before.getTime()).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
