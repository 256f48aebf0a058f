/**
 * Search, the last step of the pipeline: a question → the paragraphs that
 * answer it, best first, or an honest "not answered". Opens the current
 * build of INDEX_DIR; dense and hybrid modes need the vector index and the
 * model it was built with, and fall back to full-text search without them.
 */
import path from 'node:path';
import type { RetrievalConfig } from '../config.js';
import { comparableText } from '../ingest/document.js';
import { loadEmbedder, sameModelFiles, type Embedder } from '../index/embed.js';
import { RetrievalError, retrievalError } from '../errors.js';
import { currentBuild, files, readManifest } from '../index/index-folder.js';
import { parseQuestion } from './question.js';
import { denseFusionWeight, denseSearch, isDenseEvidence } from './search-dense.js';
import { reciprocalRankFusion } from './search-hybrid.js';
import { chanceCoverages, exactQuoteMatches, lexicalSearch, readIndexStatistics } from './search-lexical.js';
import { chanceCoverageThreshold, judgeLexicalEvidence, type LexicalEvidence } from './lexical-evidence.js';
import type { IndexStatistics } from './lexical-ranking.js';
import { corpusExamples, type CorpusExamples } from './examples.js';
import { normalise, normaliseScript, type Segmenter } from '../index/segment.js';
import { Store, type StoredParagraph } from '../index/store.js';
import { VectorIndex, type Manifest } from '../index/vector-index.js';

export const searchModes = ['hybrid', 'dense', 'lexical'] as const;
export type SearchMode = (typeof searchModes)[number];

export interface SearchOptions {
  mode?: SearchMode;
  top?: number;
  offset?: number;
  speaker?: string;
  source?: string;
}

export interface SearchHit extends StoredParagraph {
  rank: number;
  score: number;
  /** Index terms of the question found in this paragraph (normalised), for highlighting. */
  matchedTerms: string[];
}

export interface SearchResult {
  query: string;
  mode: SearchMode;
  answered: boolean;
  results: SearchHit[];
  /** How many results there are in all, for paging. */
  total: number;
  /** Things the person should know: a fallback to full-text search, a question cut short. */
  notices: string[];
  /** The index terms full-text search looked for, when they differ from the question's words (an English question). */
  searched: string[];
  /** Full-text evidence: direct, partial (some core concepts appear nowhere in the passages), or none. */
  evidence: LexicalEvidence;
}

export const MAX_QUESTION_LENGTH = 500;
/** Candidates taken from each list before fusion, filtering and paging. */
const CANDIDATES = 50;
/**
 * Abstention. A passage is evidence when full text finds it (lexical-evidence.ts:
 * the threshold comes from the index), or, with a model, when its cosine
 * similarity to the question is above what the build's calibration saw for
 * text that merely shares the topic (see index/calibrate.ts).
 * "How many …" questions also need a number in the passage.
 */
const EVIDENCE_DEPTH = 3;
/** Passages among which the EVIDENCE_DEPTH best that can answer a count question are sought. */
const EVIDENCE_POOL = 5;
const NUMBER = '[0-9〇零一二三四五六七八九十百千万亿两]';
const COUNT_QUESTION = /(?:多少|几)([个种项家所户台名人次条件亿万元米辆座])?|how many|how much/i;

function answersCount(question: string, text: string): boolean {
  const match = COUNT_QUESTION.exec(question);
  if (!match) return true;
  const unit = match[1];
  return new RegExp(unit ? `${NUMBER}\\s*${unit}` : `${NUMBER}|\\d`).test(text);
}

/** Near-duplicate passages (the corpus prints some twice): the same text once punctuation is ignored, or one inside the other. */
function isNearDuplicate(x: string, y: string): boolean {
  return x === y || (Math.min(x.length, y.length) > 20 && (x.includes(y) || y.includes(x)));
}

export class SearchEngine {
  private constructor(
    readonly store: Store,
    readonly manifest: Manifest,
    readonly buildFolder: string,
    private readonly vectors: VectorIndex | null,
    private readonly embedder: Embedder | null,
    readonly notices: string[],
  ) {
    this.segmenter = store.segmenter();
    this.statistics = readIndexStatistics(store.db);
  }

  private readonly segmenter: Segmenter;
  private readonly statistics: IndexStatistics;
  private coverageThreshold: number | null = null;
  private corpusExamples: CorpusExamples | null = null;

  /** A speaker, a term and a document of this index, for examples that work on any corpus. */
  get examples(): CorpusExamples {
    this.corpusExamples ??= corpusExamples(this.store);
    return this.corpusExamples;
  }

  /** Computed on the first question, not at open: it runs a few dozen searches. */
  private lexicalThreshold(): number {
    this.coverageThreshold ??= chanceCoverageThreshold(chanceCoverages(this.store.db, this.segmenter, this.statistics, CANDIDATES));
    return this.coverageThreshold;
  }

  /** Opens the current build. Never fails for want of a model: dense search is then switched off, with a notice. */
  static async open(config: RetrievalConfig): Promise<SearchEngine> {
    const folder = currentBuild(config.INDEX_DIR);
    const manifest = readManifest(folder);
    const store = new Store(path.join(folder, files.database));
    const notices: string[] = [];
    let vectors: VectorIndex | null = null;
    let embedder: Embedder | null = null;
    try {
      if (store.meta('corpus_hash') !== manifest.corpusHash) {
        throw retrievalError('INDEX_MANIFEST_MISMATCH', 'the database and manifest come from different builds');
      }
      if (!manifest.vectors) {
        notices.push('The index was built without an embedding model: full-text search only.');
      } else if (manifest.vectors.model !== config.EMBEDDING_MODEL) {
        notices.push(
          `The vector index was built with "${manifest.vectors.model}" but EMBEDDING_MODEL is "${config.EMBEDDING_MODEL}": ` +
            'full-text search only until you run `npm run build-index`.',
        );
      } else {
        const loaded = await loadEmbedder(config);
        if (!loaded.ok) notices.push(loaded.message);
        else if (!sameModelFiles(loaded.embedder.fingerprint, manifest.vectors.fingerprint)) {
          notices.push(
            `The files of "${config.EMBEDDING_MODEL}" changed since the vector index was built: ` +
              'full-text search only until the index is rebuilt (unchanged paragraphs come from the embedding cache).',
          );
        } else if (loaded.embedder.dimension !== manifest.vectors.dimension) {
          throw retrievalError('INDEX_MANIFEST_MISMATCH', `model dimension ${loaded.embedder.dimension}, index ${manifest.vectors.dimension}`);
        } else {
          embedder = loaded.embedder;
          const { dimension, count } = manifest.vectors;
          vectors = VectorIndex.read(path.join(folder, files.vectors), dimension, count, config.HNSW_EF_SEARCH);
        }
      }
    } catch (error) {
      store.close();
      throw error;
    }
    return new SearchEngine(store, manifest, folder, vectors, embedder, notices);
  }

  get hasVectors(): boolean {
    return this.vectors !== null;
  }

  speakerNames(): string[] {
    return this.store.speakers().map((speaker) => speaker.name);
  }

  /** Paragraph ids allowed by the speaker and source filters, or null for all. */
  private allowedParagraphs(options: SearchOptions): Set<number> | null {
    if (!options.speaker && !options.source) return null;
    const where: string[] = [];
    const params: string[] = [];
    if (options.speaker) {
      const speakers = this.store.speakers();
      const matches = speakers.filter((s) => s.name.includes(options.speaker!) || (s.role ?? '').includes(options.speaker!));
      if (matches.length === 0) {
        const known = speakers.slice(0, 12).map((s) => s.name).join('、');
        throw retrievalError('UNKNOWN_SPEAKER', options.speaker, known || '(none)');
      }
      const speaker = escapeLike(options.speaker);
      where.push(`(s.speaker_name LIKE ? ESCAPE '\\' OR s.speaker_role LIKE ? ESCAPE '\\')`);
      params.push(`%${speaker}%`, `%${speaker}%`);
    }
    if (options.source) {
      const source = escapeLike(options.source);
      where.push(`(d.file LIKE ? ESCAPE '\\' OR d.title LIKE ? ESCAPE '\\' OR s.title LIKE ? ESCAPE '\\')`);
      params.push(`${source}%`, `%${source}%`, `%${source}%`);
    }
    const ids = this.store.db
      .prepare(
        `SELECT p.id FROM paragraphs p JOIN sections s ON s.id = p.section_id JOIN documents d ON d.id = s.document_id
         WHERE ${where.join(' AND ')}`,
      )
      .all(...params) as { id: number }[];
    if (ids.length === 0 && options.source) {
      const known = this.store.documents().map((d) => d.file).join(', ');
      throw retrievalError('UNKNOWN_SOURCE', options.source, known);
    }
    return new Set(ids.map((row) => row.id));
  }

  /** Validates and answers a question. Throws RetrievalError for input a person must change. */
  async search(input: string, options: SearchOptions = {}): Promise<SearchResult> {
    const notices: string[] = [];
    let query = input.trim();
    if (query === '') throw retrievalError('QUERY_EMPTY');
    if (query.length > MAX_QUESTION_LENGTH) {
      query = query.slice(0, MAX_QUESTION_LENGTH);
      notices.push(`The question was longer than ${MAX_QUESTION_LENGTH} characters; only its beginning was searched.`);
    }
    if (!/[\p{L}\p{N}]/u.test(query)) throw retrievalError('QUERY_NO_WORDS');

    let mode = options.mode ?? 'hybrid';
    if (mode !== 'lexical' && !this.hasVectors) {
      notices.push(...this.notices, `"${mode}" search needs the vector index; used full-text search instead.`);
      mode = 'lexical';
    }
    const allowed = this.allowedParagraphs(options);
    // With a filter, search deeper so that enough allowed paragraphs remain.
    const depth = allowed ? Math.max(CANDIDATES * 20, 1000) : CANDIDATES;

    const normalised = normalise(query);
    const { concepts, ranked: lexical } =
      mode === 'dense' ? { concepts: [], ranked: [] } : lexicalSearch(this.store.db, this.segmenter, this.statistics, normaliseScript(query), depth);
    const lexicalById = new Map(lexical.map((hit) => [hit.paragraphId, hit]));
    const dense = mode === 'lexical' ? [] : await denseSearch(this.embedder!, this.vectors!, query, depth);
    const similarity = new Map(dense.map((hit) => [hit.paragraphId, hit.similarity]));
    const ranked =
      mode === 'lexical'
        ? lexical.map(({ paragraphId, score }) => ({ paragraphId, score }))
        : mode === 'dense'
          ? dense.map(({ paragraphId, similarity: score }) => ({ paragraphId, score }))
          : reciprocalRankFusion([
              { paragraphIds: lexical.map((h) => h.paragraphId), weight: 1 },
              { paragraphIds: dense.map((h) => h.paragraphId), weight: denseFusionWeight(this.manifest.vectors!.calibration) },
            ]);
    // An exact quote outranks everything, whatever the mode.
    const exact = exactQuoteMatches(this.store.db, query, depth);
    const ordered = [
      ...exact.map((paragraphId) => ({ paragraphId, score: ranked.find((r) => r.paragraphId === paragraphId)?.score ?? 1 })),
      ...ranked.filter((r) => !exact.includes(r.paragraphId)),
    ].filter((r) => !allowed || allowed.has(r.paragraphId));

    const paragraphs = this.store.paragraphs(ordered.slice(0, CANDIDATES).map((r) => r.paragraphId));
    const kept: (StoredParagraph & { score: number })[] = [];
    const keptComparable: string[] = [];
    for (const [i, paragraph] of paragraphs.entries()) {
      const comparable = comparableText(paragraph.text);
      if (keptComparable.some((earlier) => isNearDuplicate(earlier, comparable))) continue;
      keptComparable.push(comparable);
      kept.push({ ...paragraph, score: ordered[i]!.score });
    }
    // A "how many" question is answered by a passage with a number: among the first few, those come first.
    const pool = kept.splice(0, EVIDENCE_POOL);
    const counting = pool.filter((paragraph) => answersCount(query, paragraph.text));
    kept.unshift(...counting, ...pool.filter((paragraph) => !counting.includes(paragraph)));

    // Evidence may come from any of the first few passages, not only the very first.
    const best = counting.slice(0, EVIDENCE_DEPTH);
    const lexicalBest = best.flatMap((paragraph) => lexicalById.get(paragraph.paragraphId) ?? []);
    let evidence = mode === 'dense' ? ({ kind: 'none' } as const) : judgeLexicalEvidence(concepts, lexicalBest, this.lexicalThreshold());
    const otherwiseRelevant = best.some(
      (paragraph) => exact.includes(paragraph.paragraphId) ||
        (this.manifest.vectors !== null && isDenseEvidence(similarity.get(paragraph.paragraphId) ?? 0, this.manifest.vectors.calibration)),
    );
    if (otherwiseRelevant && evidence.kind === 'none') evidence = { kind: 'direct' };
    const answered = evidence.kind !== 'none';

    const offset = options.offset ?? 0;
    const top = options.top ?? 5;
    const results = kept.slice(offset, offset + top).map((paragraph, i) => ({
      ...paragraph,
      rank: offset + i + 1,
      matchedTerms: lexicalById.get(paragraph.paragraphId)?.matchedTerms ?? [],
    }));
    // What was searched, when it is not simply the question's words: the translations of an English question.
    const searched = /[a-z]{3,}/.test(normalised)
      ? [...new Set(concepts.flatMap((c) => [...c.terms, ...c.parts].filter((t) => this.statistics.documentFrequency(t) > 0).slice(0, 2)))]
      : [];
    return { query, mode, answered, results, total: kept.length, notices, searched, evidence };
  }

  /** A paragraph and its neighbours in the same section. */
  context(paragraphId: number, radius = 1): StoredParagraph[] {
    const [paragraph] = this.store.paragraphs([paragraphId]);
    return paragraph ? this.store.neighbours(paragraph, radius) : [];
  }

  /** Reads a question with its filters (see question.ts) and searches. */
  ask(input: string, options: SearchOptions = {}): Promise<SearchResult> {
    const question = parseQuestion(input, this.speakerNames());
    return this.search(question.text, { ...options, speaker: options.speaker ?? question.speaker, source: options.source ?? question.source });
  }

  close(): void {
    this.store.close();
  }
}

export { RetrievalError };

/** `text` as a literal inside a LIKE pattern: `%`, `_` and the escape character itself match only themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
