/**
 * Writes a generation of the embedded store into a new build folder: the
 * corpus into corpus.sqlite (FTS5 over the segmented words), the vectors
 * into an hnswlib file, then the manifest; publishing repoints `current`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Corpus } from '../../../ingest/corpus.js';
import type { Manifest } from '../../manifest.js';
import { corpusRows } from '../corpus-rows.js';
import { SCHEMA_VERSION, type Counts, type GenerationWriter, type IndexReader, type VectorsToWrite } from '../store.js';
import { SqliteReader } from './sqlite-reader.js';
import { files, publishBuild } from './build-folders.js';
import { countRows, metaKeys, SCHEMA } from './sqlite-schema.js';

/** Writes the corpus into a new database file (which must not exist yet). */
export function writeDatabase(file: string, corpus: Corpus, builtAt: string, vocabulary: readonly string[]): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    db.exec(SCHEMA);
    const insertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    const insertDocument = db.prepare(
      'INSERT INTO documents (file, title, date, source, layout, encoding) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertSection = db.prepare(
      `INSERT INTO sections (document_id, position, title, speaker_name, speaker_role, speaker_attribution, turn, reporter)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertParagraph = db.prepare(
      `INSERT INTO paragraphs (section_id, position, heading, text, content_hash, comparable, body_words, context_words)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertWords = db.prepare('INSERT INTO paragraph_words (rowid, body_words, context_words) VALUES (?, ?, ?)');
    db.transaction(() => {
      const meta = {
        [metaKeys.builtAt]: builtAt, [metaKeys.corpusHash]: corpus.hash, [metaKeys.vocabulary]: vocabulary.join('\n'),
        [metaKeys.schemaVersion]: String(SCHEMA_VERSION),
      };
      for (const [key, value] of Object.entries(meta)) insertMeta.run(key, value);
      for (const { document, sections } of corpusRows(corpus, vocabulary)) {
        const documentId = insertDocument.run(
          document.file, document.title, document.date, document.source, document.layout, document.encoding,
        ).lastInsertRowid;
        for (const { position, section, paragraphs } of sections) {
          const sectionId = insertSection.run(
            documentId, position, section.title, section.speaker?.name ?? null, section.speaker?.role ?? null,
            section.speaker?.attribution ?? null, section.turn, section.reporter,
          ).lastInsertRowid;
          for (const paragraph of paragraphs) {
            const [body, context] = [paragraph.bodyWords.join(' '), paragraph.contextWords.join(' ')];
            const paragraphId = insertParagraph.run(
              sectionId, paragraph.position, paragraph.heading, paragraph.text, paragraph.contentHash, paragraph.comparable, body, context,
            ).lastInsertRowid;
            insertWords.run(paragraphId, body, context);
          }
        }
      }
    })();
  } finally {
    db.close();
  }
}

export class SqliteGenerationWriter implements GenerationWriter {
  constructor(
    private readonly indexDir: string,
    private readonly folder: string,
    private readonly efSearch: number,
  ) {}

  private get databaseFile(): string {
    return path.join(this.folder, files.database);
  }

  async writeCorpus(corpus: Corpus, builtAt: string, vocabulary: readonly string[]): Promise<void> {
    writeDatabase(this.databaseFile, corpus, builtAt, vocabulary);
  }

  private withDatabase<T>(read: (db: Database.Database) => T): T {
    const db = new Database(this.databaseFile, { readonly: true, fileMustExist: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  async paragraphHashes(): Promise<{ id: number; contentHash: string; text: string }[]> {
    return this.withDatabase((db) =>
      db.prepare('SELECT id, content_hash AS contentHash, text FROM paragraphs ORDER BY id').all() as {
        id: number; contentHash: string; text: string;
      }[],
    );
  }

  async counts(): Promise<Counts> {
    return this.withDatabase((db) => countRows(db));
  }

  /** The embedded store keeps no vectors outside its build folders: the embedding cache (build.ts) does this job. */
  async reusableVectors(): Promise<Map<string, number[]>> {
    return new Map();
  }

  async writeVectors({ index }: VectorsToWrite): Promise<void> {
    index.write(path.join(this.folder, files.vectors));
  }

  async openDraft(manifest: Manifest): Promise<IndexReader> {
    return SqliteReader.open(this.folder, manifest, this.efSearch);
  }

  async publish(manifest: Manifest): Promise<string> {
    fs.writeFileSync(path.join(this.folder, files.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return publishBuild(this.indexDir, this.folder);
  }

  async discard(): Promise<void> {
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}
