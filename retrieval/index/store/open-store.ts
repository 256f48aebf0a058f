/** Picks the store from the configuration: PostgreSQL when DATABASE_URL is set, else the embedded one in INDEX_DIR. */
import type { RetrievalConfig } from '../../config.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { IndexStore } from './store.js';

export function openStore(config: RetrievalConfig): IndexStore {
  return config.DATABASE_URL
    ? new PostgresStore(config.DATABASE_URL, config.HNSW_EF_SEARCH)
    : new SqliteStore(config.INDEX_DIR, config.HNSW_EF_SEARCH);
}
