/** The inbox of this configuration: a table in the shared database with DATABASE_URL, else a file in INDEX_DIR. */
import type { RetrievalConfig } from '../../retrieval/api.js';
import type { Logger } from '../telegram/log.js';
import type { Inbox } from './inbox.js';
import { PostgresInbox } from './postgres-inbox.js';
import { SqliteInbox } from './sqlite-inbox.js';

/** `leaseMs`: how long a replica's claim holds in the shared database without being renewed (INBOX_LEASE_SECONDS). */
export async function openInbox(config: Pick<RetrievalConfig, 'INDEX_DIR' | 'DATABASE_URL'>, leaseMs: number, logger: Logger): Promise<Inbox> {
  return config.DATABASE_URL ? PostgresInbox.open(config.DATABASE_URL, leaseMs, logger) : SqliteInbox.open(config.INDEX_DIR);
}
