/**
 * The store interface: where index generations are written and read. Two
 * implementations sit beside this file, one folder each — sqlite/ (the
 * embedded default: SQLite FTS5 and an hnswlib file per build folder) and
 * postgres/ (PostgreSQL + pgvector, shared by several bot replicas) — and
 * open-store.ts picks one from the configuration. Search reads only through
 * `IndexReader`; the build writes only through `GenerationWriter`.
 */
import crypto from 'node:crypto';
import type { Corpus } from '../../ingest/corpus.js';
import type { Speaker } from '../../ingest/document.js';
import type { Manifest } from '../manifest.js';
import type { HnswParameters, VectorHit, VectorIndex } from '../vector-index.js';

export { SCHEMA_VERSION } from '../manifest.js';

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export interface StoredParagraph {
  paragraphId: number;
  text: string;
  heading: string | null;
  contentHash: string;
  position: number;
  speaker: Speaker | null;
  /** 'question' when the paragraph is a question put by the speaker (a reporter or host). */
  turn: 'question' | null;
  reporter: string | null;
  section: { id: number; index: number; title: string | null };
  document: { file: string; title: string; date: string | null; source: string | null };
}

export interface SpeakerCount { name: string; role: string | null; paragraphs: number }
export interface DocumentSummary {
  file: string; title: string; date: string | null; source: string | null; layout: string;
  sections: number; paragraphs: number; sectionTitles: string[];
}
export interface Counts { documents: number; sections: number; paragraphs: number; speakers: number }

/** The small things about a generation that the bot shows without a query: read once when it is opened. */
export interface Catalogue {
  counts: Counts;
  speakers: SpeakerCount[];
  documents: DocumentSummary[];
  /** The terms the index was segmented with (sorted by frequency): queries must be segmented with the same. */
  vocabulary: string[];
  corpusHash: string;
}

/** Word statistics of the full-text index, for BM25 weights. */
export interface IndexStatistics {
  paragraphs: number;
  /** Mean number of index tokens of a paragraph (its words and its context words). */
  averageLength: number;
  documentFrequency(term: string): number;
}

/** A paragraph full-text search found, with what its words are ranked by. */
export interface WordMatch {
  paragraphId: number;
  text: string;
  /** Who said it and under which title and heading: their words count as the paragraph's context. */
  context: string;
  /** The words of `text` and of `context`, as the build segmented them, space-separated (`splitWords` where a list is needed). */
  bodyWords: string;
  contextWords: string;
  /** `text` in its comparable form (text.ts), for exact quotes. */
  comparable: string;
}

/** A row of a full-text match as both SQL stores read it back. */
export interface WordMatchRow {
  id: number; text: string; body_words: string; context_words: string; comparable: string;
  speaker_name: string | null; speaker_role: string | null; title: string | null; heading: string | null;
}

/** Words stored space-separated, as a list. */
export function splitWords(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}

export function toWordMatch(row: WordMatchRow): WordMatch {
  return {
    paragraphId: row.id,
    text: row.text,
    context: [row.speaker_name, row.speaker_role, row.title, row.heading].filter(Boolean).join(' '),
    bodyWords: row.body_words,
    contextWords: row.context_words,
    comparable: row.comparable,
  };
}

/** Speaker and source filters as a person typed them: substrings, never patterns. */
export interface ParagraphFilter {
  speaker?: string;
  source?: string;
}

/**
 * The generation a reader was reading has been pruned under it (a shared
 * database where two builds were published before this process switched).
 * Not a person's error: whoever holds the reader opens the current generation
 * and asks again.
 */
export class GenerationGoneError extends Error {
  constructor(readonly generation: string) {
    super(`generation ${generation} was pruned while it was still being read`);
    this.name = 'GenerationGoneError';
  }
}

/** One published generation, read only. */
export interface IndexReader {
  /** Identifies the generation: its build folder, or its number in the database. */
  readonly generation: string;
  readonly manifest: Manifest;
  readonly catalogue: Catalogue;
  readonly statistics: IndexStatistics;
  /** The paragraphs with these ids, in the order given (unknown ids are left out). */
  paragraphs(ids: number[]): Promise<StoredParagraph[]>;
  /** The first paragraph whose content hash starts with `hashPrefix` (callback buttons carry a prefix). */
  paragraphByHash(hashPrefix: string): Promise<StoredParagraph | null>;
  /** The paragraphs of its section from `position - radius` to `position + radius`. */
  neighbours(paragraph: StoredParagraph, radius: number): Promise<StoredParagraph[]>;
  /** Every paragraph, in corpus order. */
  allParagraphs(): Promise<StoredParagraph[]>;
  /**
   * Paragraphs holding any of `terms` (index tokens), best first by BM25 over
   * their words and context words (k1 1.2, b 0.75, as SQLite FTS5), at most `limit`.
   */
  matchTerms(terms: string[], limit: number): Promise<WordMatch[]>;
  /** Every paragraph as full-text search reads it, in id order (words unsplit): for measuring full text at build time. */
  fullTextRows(): Promise<WordMatchRow[]>;
  /** Ids of paragraphs whose speaker's name or role contains `speaker`, and whose file starts with or title contains `source`; in corpus order (all of them without a filter). */
  filter(filter: ParagraphFilter): Promise<number[]>;
  /** Makes `nearest` ready (reads the vector graph into memory where it lives in a file); a reader without a model never calls it. */
  openVectors(): Promise<void>;
  /** The `k` paragraphs nearest to `vector` (cosine), only among `allowed` when given; [] without vectors. */
  nearest(vector: number[], k: number, allowed: ReadonlySet<number> | null): Promise<VectorHit[]>;
  close(): Promise<void>;
}

/** The vectors of a generation: by paragraph id, and as the HNSW graph the build made of them (for calibration). */
export interface VectorsToWrite {
  vectors: Map<number, number[]>;
  index: VectorIndex;
  parameters: HnswParameters;
}

/** A generation being built: invisible to readers until `publish`. */
export interface GenerationWriter {
  /** Stores documents, sections, paragraphs and their words, segmented with `vocabulary`. */
  writeCorpus(corpus: Corpus, builtAt: string, vocabulary: readonly string[]): Promise<void>;
  /** Every paragraph id, content hash and text written, for embedding. */
  paragraphHashes(): Promise<{ id: number; contentHash: string; text: string }[]>;
  counts(): Promise<Counts>;
  /** Vectors of the generation in use for these content hashes, if it was embedded by `model`: they need no embedding. */
  reusableVectors(model: string, hashes: string[]): Promise<Map<string, number[]>>;
  writeVectors(vectors: VectorsToWrite): Promise<void>;
  /** A reader of what was written so far, as if published with `manifest` (the build measures search on it); the caller closes it. */
  openDraft(manifest: Manifest): Promise<IndexReader>;
  /** Makes this generation the one in use, atomically, and prunes old ones. Returns its id. */
  publish(manifest: Manifest): Promise<string>;
  /** Removes everything written; the generation in use stays untouched. */
  discard(): Promise<void>;
}

/** Where generations live. */
export interface IndexStore {
  /** For logs and messages: a folder, or a database address without its password. */
  readonly location: string;
  /**
   * Shared by several processes (bot replicas, each with its own copy of the corpus, which may lag behind): such a store
   * is never rebuilt from a local corpus except when it holds no index, and a replica never rebuilds it to take up a
   * model that loads late. The embedded store belongs to its one machine.
   */
  readonly shared: boolean;
  /** The generation in use now; throws INDEX_MISSING when there is none. */
  currentGeneration(): Promise<string>;
  /** Its manifest, without opening it (to decide whether a rebuild is due). */
  currentManifest(): Promise<Manifest>;
  open(generation: string): Promise<IndexReader>;
  /** Calls `onPublish` soon after any process publishes a generation, when the store can tell (readers poll as well). */
  watch(onPublish: () => void): Promise<void>;
  beginGeneration(): Promise<GenerationWriter>;
  close(): Promise<void>;
}
