/**
 * Search, the last step of the pipeline: a question → the paragraphs that
 * answer it, best first, or an honest "not answered". Reads one generation
 * of the store (index/store/); dense and hybrid modes need its vectors and
 * the model they were made with, and fall back to full-text search without them.
 */
import type { RetrievalConfig } from '../config.js';
import { comparableText, hasWord, normalise, normaliseScript } from '../text.js';
import { loadEmbedder, sameModelFiles, type Embedder } from '../index/embed.js';
import { RetrievalError, retrievalError } from '../errors.js';
import { parseQuestion, questionWithin } from './question.js';
import { denseFusionWeight, denseSearch, isDenseEvidence } from './search-dense.js';
import { reciprocalRankFusion } from './search-hybrid.js';
import { exactQuoteMatches, lexicalSearch } from './search-lexical.js';
import { thresholdFor } from './evidence-thresholds.js';
import {
  aboutWhatWasAsked, fragmentsMatched, judgeLexicalEvidence, knownConceptCount, searchedWords, type Fragment, type LexicalEvidence,
} from './lexical-evidence.js';
import { corpusExamples, type CorpusExamples } from './examples.js';
import { prepareEnglishDictionary } from './cedict.js';
import { Segmenter } from '../index/segment.js';
import type { Manifest } from '../index/manifest.js';
import { openStore } from '../index/store/open-store.js';
import type { Catalogue, IndexReader, IndexStore, StoredParagraph } from '../index/store/store.js';

export const searchModes = ['hybrid', 'dense', 'lexical'] as const;
export type SearchMode = (typeof searchModes)[number];

/** Only one speaker's passages, only one document's (a file name start, a document or speech title). */
export interface SearchFilters {
  speaker?: string;
  source?: string;
}

export interface SearchOptions extends SearchFilters {
  mode?: SearchMode;
  top?: number;
  offset?: number;
}

export interface SearchHit extends StoredParagraph {
  rank: number;
  score: number;
  /** Index terms of the question found in this paragraph (normalised), for highlighting. */
  matchedTerms: string[];
  /** Words of the question this paragraph matched only by a part (计算 of 计算机), to be flagged. */
  fragments: Fragment[];
}

export interface SearchResult {
  /** The question searched: the beginning of a question longer than MAX_QUESTION_LENGTH (see question.ts). */
  query: string;
  /** Whether `query` is only the beginning of the question. */
  truncated: boolean;
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
  /** The filters searched with, from the options or the question (`speaker:王某 …`), for the reply to echo. */
  filters: SearchFilters;
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

/**
 * Lets other people's questions run between the steps of this one. Each step is bounded (a candidate set of fixed
 * size, paragraphs of at most a window: index/store/corpus-rows.ts), the whole search need not be: one question never
 * holds the event loop for all of its steps.
 */
const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
    readonly reader: IndexReader,
    private readonly embedder: Embedder | null,
    readonly notices: string[],
    /** A speaker, a term and a document of this index, for examples that work on any corpus. */
    readonly examples: CorpusExamples,
  ) {
    this.segmenter = Segmenter.for(reader.catalogue.vocabulary);
  }

  private readonly segmenter: Segmenter;

  /** Identifies the generation this engine reads: a build folder, or a generation number in the database. */
  get generation(): string {
    return this.reader.generation;
  }

  get manifest(): Manifest {
    return this.reader.manifest;
  }

  get catalogue(): Catalogue {
    return this.reader.catalogue;
  }

  /** Opens a generation of `store` (the one in use unless `generation` is given); the store stays the caller's. */
  static async openIn(store: IndexStore, config: RetrievalConfig, generation?: string): Promise<SearchEngine> {
    const reader = await store.open(generation ?? (await store.currentGeneration()));
    try {
      const { embedder, notices } = await SearchEngine.queryEmbedder(config, reader.manifest);
      prepareEnglishDictionary();
      if (embedder) await reader.openVectors();
      return new SearchEngine(reader, embedder, notices, await corpusExamples(reader));
    } catch (error) {
      await reader.close();
      throw error;
    }
  }

  /** Opens the generation in use with a store of its own, closed with the engine (for commands and tests). */
  static async open(config: RetrievalConfig): Promise<SearchEngine> {
    const store = openStore(config);
    try {
      const engine = await SearchEngine.openIn(store, config);
      engine.ownStore = store;
      return engine;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  private ownStore: IndexStore | null = null;

  /** The model for questions, when it is the one the vectors were made with. Never fails for want of a model: dense search is then off, with a notice. */
  private static async queryEmbedder(config: RetrievalConfig, manifest: Manifest): Promise<{ embedder: Embedder | null; notices: string[] }> {
    const notices: string[] = [];
    if (!manifest.vectors) {
      notices.push('The index was built without an embedding model: full-text search only.');
      return { embedder: null, notices };
    }
    if (manifest.vectors.model !== config.EMBEDDING_MODEL) {
      notices.push(
        `The vector index was built with "${manifest.vectors.model}" but EMBEDDING_MODEL is "${config.EMBEDDING_MODEL}": ` +
          'full-text search only until you run `npm run build-index`.',
      );
      return { embedder: null, notices };
    }
    const loaded = await loadEmbedder(config);
    if (!loaded.ok) {
      notices.push(loaded.message);
      return { embedder: null, notices };
    }
    if (!sameModelFiles(loaded.embedder.fingerprint, manifest.vectors.fingerprint)) {
      notices.push(
        `The files of "${config.EMBEDDING_MODEL}" changed since the vector index was built: ` +
          'full-text search only until the index is rebuilt (unchanged paragraphs come from the embedding cache).',
      );
      return { embedder: null, notices };
    }
    if (loaded.embedder.dimension !== manifest.vectors.dimension) {
      throw retrievalError('INDEX_MANIFEST_MISMATCH', `model dimension ${loaded.embedder.dimension}, index ${manifest.vectors.dimension}`);
    }
    return { embedder: loaded.embedder, notices };
  }

  get hasVectors(): boolean {
    return this.embedder !== null;
  }

  speakerNames(): string[] {
    return this.catalogue.speakers.map((speaker) => speaker.name);
  }

  /** Paragraph ids allowed by the speaker and source filters, or null for all. */
  private async allowedParagraphs(options: SearchOptions): Promise<Set<number> | null> {
    if (!options.speaker && !options.source) return null;
    if (options.speaker) {
      const speakers = this.catalogue.speakers;
      const matches = speakers.filter((s) => s.name.includes(options.speaker!) || (s.role ?? '').includes(options.speaker!));
      if (matches.length === 0) {
        const known = speakers.slice(0, 12).map((s) => s.name).join('、');
        throw retrievalError('UNKNOWN_SPEAKER', options.speaker, known || '(none)');
      }
    }
    const ids = await this.reader.filter({ speaker: options.speaker, source: options.source });
    if (ids.length === 0 && options.source) {
      const known = this.catalogue.documents.map((d) => d.file).join(', ');
      throw retrievalError('UNKNOWN_SOURCE', options.source, known);
    }
    return new Set(ids);
  }

  /** Validates and answers a question. Throws RetrievalError for input a person must change. */
  async search(input: string, options: SearchOptions = {}): Promise<SearchResult> {
    const notices: string[] = [];
    const whole = input.trim();
    if (whole === '') throw retrievalError('QUERY_EMPTY');
    const query = questionWithin(whole, MAX_QUESTION_LENGTH, this.segmenter);
    const truncated = query.length < whole.length;
    if (truncated) notices.push(`The question was longer than ${MAX_QUESTION_LENGTH} characters; only its first ${query.length} were searched.`);
    if (!hasWord(query)) throw retrievalError('QUERY_NO_WORDS');

    let mode = options.mode ?? 'hybrid';
    if (mode !== 'lexical' && !this.hasVectors) {
      notices.push(...this.notices, `"${mode}" search needs the vector index; used full-text search instead.`);
      mode = 'lexical';
    }
    const allowed = await this.allowedParagraphs(options);
    // With a filter, search deeper so that enough allowed paragraphs remain.
    const depth = allowed ? Math.max(CANDIDATES * 20, 1000) : CANDIDATES;

    const normalised = normalise(query);
    // Dense mode searches full text only for an exact quote (which outranks everything, whatever the mode).
    const fullText = mode === 'dense'
      ? { concepts: [], ranked: [], quoting: await exactQuoteMatches(this.reader, query, depth), comparable: new Map<number, string>() }
      : await lexicalSearch(this.reader, this.segmenter, normaliseScript(query), depth);
    const { concepts, ranked: matched, quoting: exact } = fullText;
    const lexical = aboutWhatWasAsked(concepts, matched);
    const lexicalById = new Map(lexical.map((hit) => [hit.paragraphId, hit]));
    await yieldToOthers();
    const dense = mode === 'lexical' ? [] : await denseSearch(this.embedder!, this.reader, query, CANDIDATES, allowed);
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
    await yieldToOthers();
    const ordered = [
      ...exact.map((paragraphId) => ({ paragraphId, score: ranked.find((r) => r.paragraphId === paragraphId)?.score ?? 1 })),
      ...ranked.filter((r) => !exact.includes(r.paragraphId)),
    ].filter((r) => !allowed || allowed.has(r.paragraphId));

    // Near-duplicates are told apart on the comparable form full text read with its candidates: only the passages it
    // did not find (dense ones) are read for that. Of the others, only those shown or weighed as evidence are read.
    const read = new Map<number, StoredParagraph>();
    const readParagraphs = async (ids: number[]) => {
      for (const paragraph of await this.reader.paragraphs(ids.filter((id) => !read.has(id)))) read.set(paragraph.paragraphId, paragraph);
    };
    const candidates = ordered.slice(0, CANDIDATES);
    await readParagraphs(candidates.map((r) => r.paragraphId).filter((id) => !fullText.comparable.has(id)));
    const kept: { paragraphId: number; score: number }[] = [];
    const keptComparable: string[] = [];
    for (const candidate of candidates) {
      const paragraph = read.get(candidate.paragraphId);
      const comparable = fullText.comparable.get(candidate.paragraphId) ?? (paragraph && comparableText(paragraph.text));
      if (comparable === undefined || keptComparable.some((earlier) => isNearDuplicate(earlier, comparable))) continue;
      keptComparable.push(comparable);
      kept.push(candidate);
    }
    const offset = options.offset ?? 0;
    const top = options.top ?? 5;
    await readParagraphs(kept.slice(0, Math.max(EVIDENCE_POOL, offset + top)).map((r) => r.paragraphId));
    // A "how many" question is answered by a passage with a number: among the first few, those come first.
    const pool = kept.splice(0, EVIDENCE_POOL);
    const counting = pool.filter((r) => answersCount(query, read.get(r.paragraphId)?.text ?? ''));
    kept.unshift(...counting, ...pool.filter((r) => !counting.includes(r)));

    // Evidence may come from any of the first few passages, not only the very first.
    const best = counting.slice(0, EVIDENCE_DEPTH);
    const lexicalBest = best.flatMap((paragraph) => lexicalById.get(paragraph.paragraphId) ?? []);
    let evidence: LexicalEvidence =
      mode === 'dense' ? { kind: 'none', missing: [], found: [] } : judgeLexicalEvidence(concepts, lexicalBest, thresholdFor(this.manifest.fullText, knownConceptCount(concepts)));
    const otherwiseRelevant = best.some(
      (paragraph) => exact.includes(paragraph.paragraphId) ||
        (this.manifest.vectors !== null && isDenseEvidence(similarity.get(paragraph.paragraphId) ?? 0, this.manifest.vectors.calibration)),
    );
    if (otherwiseRelevant && evidence.kind === 'none') evidence = { ...evidence, kind: 'direct', missing: [] };
    const answered = evidence.kind !== 'none';

    const results = kept.slice(offset, offset + top).flatMap(({ paragraphId, score }, i) => {
      const paragraph = read.get(paragraphId);
      if (!paragraph) return [];
      const matchedTerms = lexicalById.get(paragraphId)?.matchedTerms ?? [];
      return [{ ...paragraph, score, rank: offset + i + 1, matchedTerms, fragments: fragmentsMatched(concepts, matchedTerms, evidence.missing) }];
    });
    // What was searched, when it is not simply the question's words: the translations of an English question.
    const searched = /[a-z]{3,}/.test(normalised) ? searchedWords(concepts, this.reader.statistics) : [];
    const filters = { ...(options.speaker ? { speaker: options.speaker } : {}), ...(options.source ? { source: options.source } : {}) };
    return { query, truncated, mode, answered, results, total: kept.length, notices, searched, evidence, filters };
  }

  /** A paragraph and its neighbours in the same section. */
  async context(paragraphId: number, radius = 1): Promise<StoredParagraph[]> {
    const [paragraph] = await this.reader.paragraphs([paragraphId]);
    return paragraph ? this.reader.neighbours(paragraph, radius) : [];
  }

  /** Reads a question with its filters (see question.ts) and searches. */
  ask(input: string, options: SearchOptions = {}): Promise<SearchResult> {
    const question = parseQuestion(input, this.speakerNames());
    return this.search(question.text, { ...options, speaker: options.speaker ?? question.speaker, source: options.source ?? question.source });
  }

  async close(): Promise<void> {
    await this.reader.close();
    await this.ownStore?.close();
  }
}

export { RetrievalError };
