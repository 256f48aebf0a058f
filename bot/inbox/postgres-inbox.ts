/**
 * The shared inbox: a table in the database of DATABASE_URL (speechqa_inbox,
 * created by the schema's migrations), used by every replica at once.
 *
 * Claiming is the pattern of pg-boss and graphile-worker: the oldest updates
 * not done and not under a live lease, locked with FOR UPDATE SKIP LOCKED so
 * that replicas claiming at the same moment take different ones, and leased
 * to this replica for `leaseMs` (an SQS visibility timeout). The lease is
 * renewed while the replica lives; one that dies stops renewing, and once its
 * leases run out another replica claims its updates. Times are the database's
 * clock, never a replica's.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Update } from 'grammy/types';
import { SharedDatabase } from '../../retrieval/api.js';
import type { Logger } from '../telegram/log.js';
import { storedUpdate, type Inbox, type InboxEntry } from './inbox.js';

export class PostgresInbox implements Inbox {
  /** Who holds a lease: this process, unique even when a restarted replica gets the same pid. */
  private readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly database: SharedDatabase,
    private readonly leaseMs: number,
    logger: Logger,
  ) {
    // Renewed three times per lease, so one slow round trip does not let a lease run out under a living replica.
    this.heartbeat = setInterval(() => {
      this.renew().catch((error: unknown) =>
        logger.warn({ error: String(error) }, 'inbox: could not renew the claims; if it goes on, other replicas may answer them too'),
      );
    }, leaseMs / 3).unref();
  }

  get location(): string {
    return this.database.location;
  }

  /** Connects (and migrates) at once, so that a database out of reach is said at start-up. */
  static async open(url: string, leaseMs: number, logger: Logger): Promise<PostgresInbox> {
    const database = new SharedDatabase(url, 3);
    try {
      await database.connected();
    } catch (error) {
      await database.close();
      throw error;
    }
    return new PostgresInbox(database, leaseMs, logger);
  }

  private async query<Row>(statement: string, params: unknown[]): Promise<Row[]> {
    const pool = await this.database.connected();
    return (await pool.query(statement, params)).rows as Row[];
  }

  async add(updates: readonly Update[]): Promise<InboxEntry[]> {
    const rows = await this.query<{ body: unknown }>(
      `INSERT INTO speechqa_inbox (update_id, body, attempts, owner, lease_until)
       SELECT (u->>'update_id')::bigint, u, 1, $2, now() + $3 * interval '1 millisecond' FROM jsonb_array_elements($1::jsonb) AS u
       ON CONFLICT (update_id) DO NOTHING
       RETURNING body`,
      [JSON.stringify(updates), this.owner, this.leaseMs],
    );
    return entries(rows.map((row) => ({ body: row.body, attempts: 1 })));
  }

  async claim(limit: number): Promise<InboxEntry[]> {
    const rows = await this.query<{ body: unknown; attempts: number }>(
      `UPDATE speechqa_inbox SET owner = $1, lease_until = now() + $3 * interval '1 millisecond', attempts = attempts + 1
       WHERE update_id IN (
         SELECT update_id FROM speechqa_inbox
         WHERE done_at IS NULL AND (lease_until IS NULL OR lease_until < now())
         ORDER BY update_id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING body, attempts`,
      [this.owner, limit, this.leaseMs],
    );
    return entries(rows);
  }

  async done(updateId: number): Promise<void> {
    await this.query('UPDATE speechqa_inbox SET done_at = now(), owner = NULL, lease_until = NULL WHERE update_id = $1', [updateId]);
  }

  /** Extends the leases of the updates this replica still works on. */
  private async renew(): Promise<void> {
    await this.query(
      `UPDATE speechqa_inbox SET lease_until = now() + $2 * interval '1 millisecond' WHERE owner = $1 AND done_at IS NULL`,
      [this.owner, this.leaseMs],
    );
  }

  async release(): Promise<void> {
    await this.query('UPDATE speechqa_inbox SET owner = NULL, lease_until = NULL WHERE owner = $1 AND done_at IS NULL', [this.owner]);
  }

  async prune(before: Date): Promise<number> {
    return (await this.query<{ update_id: string }>('DELETE FROM speechqa_inbox WHERE done_at < $1 RETURNING update_id', [before])).length;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.database.close();
  }
}

/** Rows back to entries, oldest first (RETURNING keeps no order). */
function entries(rows: { body: unknown; attempts: number }[]): InboxEntry[] {
  return rows.map((row) => ({ update: storedUpdate(row.body), attempts: row.attempts })).sort((a, b) => a.update.update_id - b.update.update_id);
}
