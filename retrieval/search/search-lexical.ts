/**
 * Full-text search through the store: it finds the paragraphs that contain
 * any of the question's terms (BM25), lexical-ranking.ts orders them; and
 * exact quotes: paragraphs containing the question verbatim.
 */
import { comparableText, normalise } from '../text.js';
import type { Segmenter } from '../index/segment.js';
import type { IndexReader } from '../index/store/store.js';
import { seededRandom } from '../seeded-random.js';
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

/** `segmented`: candidates segmented by earlier searches, for a run of many searches (chance questions). */
export async function lexicalSearch(
  reader: IndexReader, segmenter: Segmenter, question: string, limit: number, segmented = new Map<number, Candidate>(),
): Promise<LexicalSearch> {
  const stats = reader.statistics;
  const analysed = analyseQuestion(question, segmenter, (term) => stats.documentFrequency(term) > 0);
  const asked = weighConcepts(analysed, stats);
  const terms = [...new Set(asked.flatMap((c) => [...c.terms, ...c.parts]))].filter((t) => stats.documentFrequency(t) > 0);
  if (terms.length === 0) return { concepts: asked, ranked: [] };
  const matches = await reader.matchTerms(terms, Math.max(limit, RERANK_POOL));
  // The senses of English words the passages found bear out (see sense-selection.ts).
  const concepts = weighConcepts(selectSenses(analysed, matches.map((match) => normalise(`${match.text}\n${match.context}`))), stats);
  const candidates = matches.map((match) => {
    const candidate = segmented.get(match.paragraphId) ?? {
      paragraphId: match.paragraphId,
      body: segmenter.segment(match.text),
      context: segmenter.segment(match.context),
    };
    segmented.set(match.paragraphId, candidate);
    return candidate;
  });
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

const CHANCE_QUESTIONS = 60;

/**
 * The paragraphs chance questions draw their words from, read only as far as
 * they are drawn: a large database is not read whole for a threshold.
 */
export class ParagraphSample {
  private allIds: Promise<number[]> | null = null;
  private readonly texts = new Map<number, Promise<string>>();

  constructor(private readonly reader: IndexReader) {}

  /** Every paragraph id, in corpus order. */
  ids(): Promise<number[]> {
    this.allIds ??= this.reader.filter({});
    return this.allIds;
  }

  text(id: number): Promise<string> {
    let text = this.texts.get(id);
    if (!text) {
      text = this.reader.paragraphs([id]).then(([paragraph]) => paragraph?.text ?? '');
      this.texts.set(id, text);
    }
    return text;
  }
}

/**
 * The best coverage reached by questions made of `size` unrelated words: each
 * one word from a random paragraph. See lexical-evidence.ts.
 */
export async function chanceCoverages(
  reader: IndexReader, segmenter: Segmenter, limit: number, size: number, sample: ParagraphSample,
): Promise<number[]> {
  const ids = await sample.ids();
  if (size < 2 || ids.length === 0) return [];
  // Seeded by the index: the same index always gets the same threshold.
  const random = seededRandom(ids.length);
  const coverages: number[] = [];
  const segmented = new Map<number, Candidate>();
  for (let q = 0; q < CHANCE_QUESTIONS; q++) {
    const words: string[] = [];
    for (let w = 0; w < size; w++) {
      const text = await sample.text(ids[Math.floor(random() * ids.length)]!);
      const choices = segmenter.segment(text).filter((word) => /^\p{Script=Han}{2,}$/u.test(word));
      const word = choices[Math.floor(random() * choices.length)];
      if (word !== undefined) words.push(word);
    }
    if (words.length === 0) continue;
    const question = words.join(' ');
    const { ranked } = await lexicalSearch(reader, segmenter, question, limit, segmented);
    coverages.push(ranked[0]?.coverage ?? 0);
  }
  return coverages;
}
