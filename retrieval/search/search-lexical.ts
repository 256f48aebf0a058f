/**
 * Full-text search through the store: the store's own BM25 ranking picks a
 * bounded set of candidates holding any of the question's terms, and
 * lexical-ranking.ts orders that set only (coverage, proximity), on the words
 * the build segmented; and exact quotes: paragraphs containing the question verbatim.
 */
import { comparableText, normalise } from '../text.js';
import type { Segmenter } from '../index/segment.js';
import type { IndexReader } from '../index/store/store.js';
import type { FullTextSource } from '../index/store/memory-full-text.js';
import { analyseQuestion } from './query-analysis.js';
import { selectSenses } from './sense-selection.js';
import { rankCandidates, weighConcepts, type Candidate, type RankedCandidate, type WeightedConcept } from './lexical-ranking.js';

/** The store picks this many paragraphs by plain BM25 over all terms; lexical-ranking.ts orders them. */
const RERANK_POOL = 200;
/** Exact quotes shorter than this are ordinary words, not quotes. */
const MIN_QUOTE_LENGTH = 6;

export interface LexicalSearch {
  concepts: WeightedConcept[];
  ranked: RankedCandidate[];
}

export async function lexicalSearch(reader: FullTextSource, segmenter: Segmenter, question: string, limit: number): Promise<LexicalSearch> {
  const stats = reader.statistics;
  const analysed = analyseQuestion(question, segmenter, (term) => stats.documentFrequency(term) > 0);
  const asked = weighConcepts(analysed, stats);
  const terms = [...new Set(asked.flatMap((c) => [...c.terms, ...c.parts]))].filter((t) => stats.documentFrequency(t) > 0);
  if (terms.length === 0) return { concepts: asked, ranked: [] };
  const matches = await reader.matchTerms(terms, Math.max(limit, RERANK_POOL));
  // The senses of English words the passages found bear out (see sense-selection.ts); only English words have senses
  // to choose, so a Chinese question normalises no passage text.
  const english = analysed.some((concept) => concept.span !== null);
  const texts = english ? matches.map((match) => normalise(`${match.text}\n${match.context}`)) : [];
  const concepts = weighConcepts(selectSenses(analysed, texts), stats);
  const candidates: Candidate[] = matches.map((match) => ({ paragraphId: match.paragraphId, body: match.bodyWords, context: match.contextWords }));
  // A candidate found only by a sense the passages did not bear out (医务 of 医务所 for "clinic") matches nothing now.
  const ranked = rankCandidates(concepts, candidates, stats).filter((candidate) => candidate.matchedTerms.length > 0);
  return { concepts, ranked: ranked.slice(0, limit) };
}

/** Paragraphs that contain the question verbatim (ignoring spaces and punctuation): a quote the person copied. */
export async function exactQuoteMatches(reader: IndexReader, question: string, limit: number): Promise<number[]> {
  const quoted = comparableText(question);
  if (quoted.length < MIN_QUOTE_LENGTH) return [];
  return reader.containing(quoted, limit);
}
