/** Picks the store from the configuration: the embedded one in INDEX_DIR. */
import type { RetrievalConfig } from '../../config.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { IndexStore } from './store.js';

export function openStore(config: RetrievalConfig): IndexStore {
  return new SqliteStore(config.INDEX_DIR, config.HNSW_EF_SEARCH);
}
