/**
 * The embedded store, the default: generations are build folders under
 * INDEX_DIR (build-folders.ts), each a SQLite database with FTS5 and an
 * hnswlib file. Right for one machine; readers notice a new build by polling
 * the `current` link.
 */
import fs from 'node:fs';
import type { Manifest } from '../../manifest.js';
import type { GenerationWriter, IndexReader, IndexStore } from '../store.js';
import { currentBuild, newBuildFolder, readManifest } from './build-folders.js';
import { SqliteReader } from './sqlite-reader.js';
import { SqliteGenerationWriter } from './sqlite-writer.js';

export class SqliteStore implements IndexStore {
  readonly shared = false;

  constructor(
    private readonly indexDir: string,
    private readonly efSearch: number,
  ) {}

  get location(): string {
    return this.indexDir;
  }

  async currentGeneration(): Promise<string> {
    return currentBuild(this.indexDir);
  }

  async currentManifest(): Promise<Manifest> {
    return readManifest(currentBuild(this.indexDir));
  }

  async open(generation: string): Promise<IndexReader> {
    return SqliteReader.open(generation, readManifest(generation), this.efSearch);
  }

  /** A symbolic link cannot be watched portably: the engine holder polls `currentGeneration`. */
  async watch(): Promise<void> {}

  async beginGeneration(): Promise<GenerationWriter> {
    fs.mkdirSync(this.indexDir, { recursive: true });
    return new SqliteGenerationWriter(this.indexDir, newBuildFolder(this.indexDir), this.efSearch);
  }

  async close(): Promise<void> {}
}
