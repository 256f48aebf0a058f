/**
 * Full-text search through the store: the store's own BM25 ranking picks a
 * bounded set of candidates holding any of the question's terms, and
 * lexical-ranking.ts orders that set only (coverage, proximity), on the words
 * the build segmented; and exact quotes: the candidates containing the question
 * verbatim (a copied quote holds all of its own words, so its paragraph is
 * among them), never a scan of every paragraph's text.
 */
import { comparableText, normalise } from '../text.js';
import { Segmenter } from '../index/segment.js';
import type { IndexReader, IndexStatistics, WordMatch } from '../index/store/store.js';
import type { FullTextSource } from '../index/store/memory-full-text.js';
import { analyseQuestion, type Concept } from './query-analysis.js';
import { selectSenses } from './sense-selection.js';
import { rankCandidates, weighConcepts, type Candidate, type RankedCandidate, type WeightedConcept } from './lexical-ranking.js';

/** The store picks this many paragraphs by plain BM25 over all terms; lexical-ranking.ts orders them. */
const RERANK_POOL = 200;
/** Exact quotes shorter than this are ordinary words, not quotes. */
const MIN_QUOTE_LENGTH = 6;

export interface LexicalSearch {
  concepts: WeightedConcept[];
  ranked: RankedCandidate[];
  /** Candidates that contain the question verbatim (ignoring spaces and punctuation), in corpus order: a quote the person copied. */
  quoting: number[];
  /** Every candidate's text in its comparable form, as stored: the answer tells near-duplicates apart without normalising again. */
  comparable: Map<number, string>;
}

/** The question as an exact quote, or null when it is too short to be one. */
function quoteOf(question: string): string | null {
  const quoted = comparableText(question);
  return quoted.length >= MIN_QUOTE_LENGTH ? quoted : null;
}

/** White space, punctuation and symbols: what the comparable form of a text leaves out (text.ts). */
const NOT_COMPARED = /[\s\p{P}\p{S}]/u;

/**
 * Whether any candidate's text (normalised, with its speaker and titles) contains a string: what sense selection asks
 * of the passages. Only the texts that can contain it are normalised: a string without white space, punctuation or
 * symbols is in a normalised text only where it is in the text's comparable form, which is stored; that form also
 * joins words across punctuation, so the text itself has the last word.
 */
export function passagesContaining(matches: WordMatch[]): (text: string) => boolean {
  const texts = new Map<WordMatch, string>();
  const contexts = new Map<string, string>();
  const normalisedText = (match: WordMatch) => texts.get(match) ?? texts.set(match, normalise(match.text)).get(match)!;
  // Many candidates share a speaker and a title.
  const normalisedContext = (match: WordMatch) => contexts.get(match.context) ?? contexts.set(match.context, normalise(match.context)).get(match.context)!;
  const contains = (text: string) =>
    NOT_COMPARED.test(text)
      ? matches.some((match) => `${normalisedText(match)}\n${normalisedContext(match)}`.includes(text))
      : matches.some((match) => normalisedContext(match).includes(text) || (match.comparable.includes(text) && normalisedText(match).includes(text)));
  // Sense selection asks about the same translations again and again.
  const answers = new Map<string, boolean>();
  return (text) => answers.get(text) ?? answers.set(text, contains(text)).get(text)!;
}

/** The question's concepts, weighed, and the index terms that express them: what the store is asked for. */
function askedTerms(stats: IndexStatistics, segmenter: Segmenter, question: string): { analysed: Concept[]; asked: WeightedConcept[]; terms: string[] } {
  const analysed = analyseQuestion(question, segmenter, (term) => stats.documentFrequency(term) > 0);
  const asked = weighConcepts(analysed, stats);
  const terms = [...new Set(asked.flatMap((c) => [...c.terms, ...c.parts]))].filter((t) => stats.documentFrequency(t) > 0);
  return { analysed, asked, terms };
}

/** The index terms full-text search asks the store for, for a question (the benchmark times the store's query of them). */
export function questionTerms(stats: IndexStatistics, segmenter: Segmenter, question: string): string[] {
  return askedTerms(stats, segmenter, question).terms;
}

export async function lexicalSearch(reader: FullTextSource, segmenter: Segmenter, question: string, limit: number): Promise<LexicalSearch> {
  const stats = reader.statistics;
  const { analysed, asked, terms } = askedTerms(stats, segmenter, question);
  if (terms.length === 0) return { concepts: asked, ranked: [], quoting: [], comparable: new Map() };
  const matches = await reader.matchTerms(terms, Math.max(limit, RERANK_POOL));
  // The senses of English words the passages found bear out (see sense-selection.ts); only English words have senses
  // to choose, so a Chinese question normalises no passage text.
  const concepts = weighConcepts(selectSenses(analysed, passagesContaining(matches)), stats);
  const candidates: Candidate[] = matches.map((match) => ({ paragraphId: match.paragraphId, body: match.bodyWords, context: match.contextWords }));
  // A candidate found only by a sense the passages did not bear out (医务 of 医务所 for "clinic") matches nothing now.
  const ranked = rankCandidates(concepts, candidates, stats).filter((candidate) => candidate.matchedTerms.length > 0);
  const quoted = quoteOf(question);
  const quoting = quoted === null ? [] : matches.filter((match) => match.comparable.includes(quoted)).map((match) => match.paragraphId);
  return {
    concepts, ranked: ranked.slice(0, limit), quoting: quoting.sort((a, b) => a - b).slice(0, limit),
    comparable: new Map(matches.map((match) => [match.paragraphId, match.comparable])),
  };
}

/** Paragraphs that contain the question verbatim (ignoring spaces and punctuation), in corpus order: a quote the person copied. */
export async function exactQuoteMatches(reader: FullTextSource & Pick<IndexReader, 'catalogue'>, question: string, limit: number): Promise<number[]> {
  if (quoteOf(question) === null) return [];
  return (await lexicalSearch(reader, Segmenter.for(reader.catalogue.vocabulary), question, limit)).quoting;
}
