/**
 * Embeddings kept between builds, keyed by (model id, paragraph content
 * hash): a rebuild embeds only new or changed paragraphs, and a different
 * model has its own entries. The cache only grows by additions, so it lives
 * outside the build folders and is updated in place.
 */
import Database from 'better-sqlite3';

export class EmbeddingCache {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS embeddings (
      model TEXT NOT NULL, content_hash TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, content_hash))`);
  }

  get(model: string, hashes: string[]): Map<string, number[]> {
    const select = this.db.prepare('SELECT vector FROM embeddings WHERE model = ? AND content_hash = ?');
    const found = new Map<string, number[]>();
    for (const hash of hashes) {
      const row = select.get(model, hash) as { vector: Buffer } | undefined;
      if (row) found.set(hash, Array.from(new Float32Array(row.vector.buffer, row.vector.byteOffset, row.vector.byteLength / 4)));
    }
    return found;
  }

  put(model: string, entries: Map<string, number[]>): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO embeddings (model, content_hash, vector) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [hash, vector] of entries) insert.run(model, hash, Buffer.from(new Float32Array(vector).buffer));
    })();
  }

  close(): void {
    this.db.close();
  }
}
