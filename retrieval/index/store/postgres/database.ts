/**
 * A connection pool on the shared database (DATABASE_URL), migrated
 * (schema.ts) before its first use: the index store holds one, and so do the
 * bot's own tables that replicas share (reader feedback).
 */
import pg from 'pg';
import { retrievalError } from '../../../errors.js';
import { migrate } from './schema.js';

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

export class SharedDatabase {
  readonly location: string;
  private readonly pool: pg.Pool;
  private ready: Promise<void> | null = null;

  constructor(
    readonly url: string,
    poolSize: number,
  ) {
    this.location = redactedUrl(url);
    this.pool = new pg.Pool({ connectionString: url, max: poolSize });
    // An idle connection the server drops must not crash the process; the next query opens a new one.
    this.pool.on('error', () => {});
  }

  /** Connects and migrates once; a failure is not remembered, so the next call tries again. */
  async connected(): Promise<pg.Pool> {
    this.ready ??= this.withClient(migrate).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    await this.ready;
    return this.pool;
  }

  /** Runs `work` on one connection of the pool; connection failures become DATABASE_UNREACHABLE. */
  async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw retrievalError('DATABASE_UNREACHABLE', this.location, (error as Error).message);
    }
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
