/**
 * The PostgreSQL + pgvector store, chosen by DATABASE_URL: one database
 * shared by any number of bot replicas. A build writes a new generation
 * (its own schema, schema.ts) and switches the one-row pointer
 * speechqa_current in a transaction that also NOTIFYs; replicas LISTEN, and
 * poll as well, in case a notification is lost with a connection.
 */
import pg from 'pg';
import { retrievalError } from '../../../errors.js';
import { parseManifest, type Manifest } from '../../manifest.js';
import type { GenerationWriter, IndexReader, IndexStore } from '../store.js';
import { PostgresReader } from './postgres-reader.js';
import { PostgresGenerationWriter } from './postgres-writer.js';
import { SharedDatabase } from './database.js';
import { locks, PUBLISH_CHANNEL } from './schema.js';

/** Connections per process: a bot answers a few questions at a time. */
const POOL_SIZE = 4;

export class PostgresStore implements IndexStore {
  readonly location: string;
  readonly shared = true;
  private readonly database: SharedDatabase;
  private listener: pg.Client | null = null;

  constructor(
    private readonly url: string,
    private readonly efSearch: number,
  ) {
    this.database = new SharedDatabase(url, POOL_SIZE);
    this.location = this.database.location;
  }

  private connected(): Promise<pg.Pool> {
    return this.database.connected();
  }

  async currentGeneration(): Promise<string> {
    const pool = await this.connected();
    const { rows } = await pool.query<{ generation: string }>('SELECT generation FROM speechqa_current');
    if (rows.length === 0) throw retrievalError('INDEX_MISSING', this.location);
    return String(rows[0]!.generation);
  }

  async currentManifest(): Promise<Manifest> {
    return this.manifestOf(await this.currentGeneration());
  }

  private async manifestOf(generation: string): Promise<Manifest> {
    const pool = await this.connected();
    const { rows } = await pool.query<{ manifest: unknown }>(
      "SELECT manifest FROM speechqa_generations WHERE id = $1 AND state = 'published'",
      [generation],
    );
    if (rows.length === 0) throw retrievalError('INDEX_MISSING', `${this.location} (generation ${generation} was pruned)`);
    return parseManifest(rows[0]!.manifest, `the manifest of generation ${generation}`);
  }

  async open(generation: string): Promise<IndexReader> {
    const manifest = await this.manifestOf(generation);
    return PostgresReader.open(await this.connected(), generation, manifest, this.efSearch);
  }

  async watch(onPublish: () => void): Promise<void> {
    await this.connected();
    const listener = new pg.Client({ connectionString: this.url });
    // A lost listener is not fatal: the engine holder polls as well.
    listener.on('error', () => {
      if (this.listener === listener) this.listener = null;
    });
    listener.on('notification', (message) => {
      if (message.channel === PUBLISH_CHANNEL) onPublish();
    });
    try {
      await listener.connect();
      await listener.query(`LISTEN ${PUBLISH_CHANNEL}`);
      this.listener = listener;
    } catch {
      await listener.end().catch(() => {});
    }
  }

  /** One build at a time: a session advisory lock held on a dedicated connection until publish or discard. */
  async beginGeneration(): Promise<GenerationWriter> {
    await this.connected();
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      throw retrievalError('DATABASE_UNREACHABLE', this.location, (error as Error).message);
    }
    try {
      const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${locks.build}) AS locked`);
      if (!rows[0]?.locked) throw retrievalError('DATABASE_BUILD_RUNNING', this.location);
      return await PostgresGenerationWriter.begin(client, await this.connected(), this.efSearch);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
    await this.database.close();
  }
}
