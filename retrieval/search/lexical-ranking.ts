/**
 * Lexical ranking, pure: candidate paragraphs (their words) and the
 * question's concepts → scores. BM25 per concept (Robertson & Zaragoza 2009;
 * a concept counts once, through its best-matching term), scaled by how much
 * of the question's weight the paragraph covers, plus a bonus when two of
 * the question's concepts stand side by side as they do in the question.
 * Every weight is an IDF from the index, so common words — question filler
 * included — weigh little, and a passage with the rare core term ranks above
 * one with only common words.
 */
import type { IndexStatistics } from '../index/store/store.js';
import type { Concept } from './query-analysis.js';

export type { IndexStatistics };

/** Robertson–Spärck Jones IDF, floored at 0: a word in most paragraphs says nothing. */
export function inverseDocumentFrequency(stats: IndexStatistics, term: string): number {
  const df = stats.documentFrequency(term);
  return Math.max(0, Math.log((stats.paragraphs - df + 0.5) / (df + 0.5)));
}

export interface WeightedConcept extends Concept {
  /**
   * The IDF of its commonest term in the index (a concept is as common as its usual expression: "industry" is
   * common though 工商界 is rare); for a concept the index lacks, that of a word seen nowhere.
   */
  weight: number;
  /** Nothing that expresses it occurs in the index (the parts of a Chinese word may). */
  absent: boolean;
  /** Neither a term nor a part of it occurs in the index: no passage can contain any of it. */
  unknown: boolean;
}

/**
 * Index statistics for each concept. Lone characters joined into a word the index does not know (see
 * Concept.joined) are left out: an artefact of segmenting the question, not something the person asked about.
 */
export function weighConcepts(concepts: Concept[], stats: IndexStatistics): WeightedConcept[] {
  const unseen = Math.log(stats.paragraphs + 0.5) - Math.log(0.5);
  const inIndex = (terms: string[]) => terms.filter((term) => stats.documentFrequency(term) > 0);
  return concepts.flatMap((asked) => {
    // An English word none of whose translations the index knows is searched by its related words (query-analysis.ts).
    const concept = asked.related.length > 0 ? { ...asked, terms: asked.related, parts: [] } : asked;
    // What expresses it: the word itself; for an English word whose translations the index lacks, the parts that keep
    // most of one (门诊 of 门诊室 "clinic", see query-analysis.ts), which are translations too.
    const present = inIndex(concept.terms);
    const expressions = present.length === 0 && concept.span !== null ? inIndex(concept.parts) : present;
    const unknown = present.length === 0 && inIndex(concept.parts).length === 0;
    if (unknown && concept.joined) return [];
    const weight = expressions.length > 0 ? Math.min(...expressions.map((term) => inverseDocumentFrequency(stats, term))) : unseen;
    return [{ ...concept, weight, absent: expressions.length === 0, unknown }];
  });
}

export interface Candidate {
  paragraphId: number;
  /** Words of the paragraph, in order, space-separated (as stored: a question splits no candidate into a list). */
  body: string;
  /** Words of who said it and the section title, space-separated. */
  context: string;
}

export interface RankedCandidate {
  paragraphId: number;
  score: number;
  /** IDF-weighted share of the question's concepts the paragraph contains, 0–1. */
  coverage: number;
  /** The index terms found in it, for highlighting and for saying what was found. */
  matchedTerms: string[];
  /** The weight of each concept (in the question's order) it covers: all of it, or as much as the part found weighs. */
  conceptsCovered: number[];
}

const K1 = 1.2;
const B = 0.75;
/** Who said it and the title count half as much as the paragraph's own words. */
const CONTEXT_WEIGHT = 0.5;

const SPACE = 0x20;

/** How often `term` is one of `words` (space-separated): ` term ` among ` words `, for a term that is no single word. */
function occurrencesAcrossWords(words: string, term: string): number {
  const [padded, needle] = [` ${words} `, ` ${term} `];
  let count = 0;
  for (let at = padded.indexOf(needle); at >= 0; at = padded.indexOf(needle, at + term.length + 1)) count += 1;
  return count;
}

/**
 * The question's terms counted among a candidate's words in one pass over them: a word is compared only with the
 * terms that begin with its first character. (Each term sought through the words in turn read every candidate
 * once per term, and a dozen or more terms are usual.)
 */
class TermCounter {
  /** Indexes into `terms` by the term's first character; terms that are no single word (empty, or with a space) apart. */
  private readonly byFirstCharacter = new Map<number, number[]>();
  private readonly acrossWords: number[] = [];

  constructor(private readonly terms: readonly string[]) {
    terms.forEach((term, i) => {
      if (term === '' || term.includes(' ')) return void this.acrossWords.push(i);
      const first = term.charCodeAt(0);
      const list = this.byFirstCharacter.get(first);
      if (list) list.push(i);
      else this.byFirstCharacter.set(first, [i]);
    });
  }

  /** Adds `weight` to `counts[i]` for every occurrence of term `i` as one of `words` (space-separated); returns how many words there are. */
  count(words: string, weight: number, counts: Float64Array): number {
    if (words === '') return 0;
    let wordsSeen = 0;
    for (let i = 0, start = 0; i <= words.length; i++) {
      if (i < words.length && words.charCodeAt(i) !== SPACE) continue;
      wordsSeen += 1;
      const candidates = this.byFirstCharacter.get(words.charCodeAt(start));
      if (candidates) {
        for (const t of candidates) {
          const term = this.terms[t]!;
          if (term.length === i - start && words.startsWith(term, start)) counts[t]! += weight;
        }
      }
      start = i + 1;
    }
    for (const t of this.acrossWords) counts[t]! += weight * occurrencesAcrossWords(words, this.terms[t]!);
    return wordsSeen;
  }
}

/** Whether `text` is in `words` once their spaces are left out (without making that copy of them). */
function inWithoutSpaces(words: string, text: string): boolean {
  if (text === '') return true;
  for (let at = words.indexOf(text[0]!); at >= 0; at = words.indexOf(text[0]!, at + 1)) {
    let matched = 0;
    for (let i = at; i < words.length && matched < text.length; i++) {
      const c = words.charCodeAt(i);
      if (c === SPACE) continue;
      if (c !== text.charCodeAt(matched)) break;
      matched += 1;
    }
    if (matched === text.length) return true;
  }
  return false;
}

/** Adjacent concept pairs of the question that also stand adjacent in the paragraph. */
function phraseBonus(concepts: WeightedConcept[], body: string, found: (string | null)[]): number {
  let bonus = 0;
  for (let i = 0; i + 1 < concepts.length; i++) {
    const [a, b] = [found[i], found[i + 1]];
    if (a && b && inWithoutSpaces(body, a + b)) bonus += Math.min(concepts[i]!.weight, concepts[i + 1]!.weight);
  }
  return bonus;
}

export function rankCandidates(concepts: WeightedConcept[], candidates: Candidate[], stats: IndexStatistics): RankedCandidate[] {
  const totalWeight = concepts.reduce((sum, c) => sum + c.weight, 0);
  // What does not depend on the candidate is worked out once per question: each distinct term, its IDF, and for each
  // concept which of them express it and whether as a whole.
  const terms = [...new Set(concepts.flatMap((concept) => [...concept.terms, ...concept.parts]))];
  const termIndex = new Map(terms.map((term, i) => [term, i]));
  const idf = terms.map((term) => inverseDocumentFrequency(stats, term));
  const sought = concepts.map((concept) =>
    [...concept.terms, ...concept.parts].map((term) => ({ term, index: termIndex.get(term)!, whole: concept.terms.includes(term) })),
  );
  const counter = new TermCounter(terms);
  const tf = new Float64Array(terms.length);
  const ranked = candidates.map((candidate) => {
    tf.fill(0);
    const length = counter.count(candidate.body, 1, tf) + CONTEXT_WEIGHT * counter.count(candidate.context, CONTEXT_WEIGHT, tf);
    const norm = K1 * (1 - B + (B * length) / Math.max(stats.averageLength, 1));
    let bm25 = 0;
    const matchedTerms: string[] = [];
    const conceptsCovered: number[] = [];
    const found: (string | null)[] = [];
    for (const [c, concept] of concepts.entries()) {
      let best = 0;
      let bestTerm: number | null = null;
      let whole = false;
      for (const { term, index, whole: isWhole } of sought[c]!) {
        const count = tf[index]!;
        if (count === 0) continue;
        matchedTerms.push(term);
        const value = (idf[index]! * count * (K1 + 1)) / (count + norm);
        if (isWhole) whole = true;
        if (value > best || bestTerm === null) [best, bestTerm] = [value, index];
      }
      // A part covers the concept only as much as the part weighs.
      conceptsCovered.push(bestTerm === null ? 0 : whole ? concept.weight : Math.min(idf[bestTerm]!, concept.weight));
      bm25 += best;
      found.push(bestTerm === null ? null : terms[bestTerm]!);
    }
    const coverage = totalWeight > 0 ? conceptsCovered.reduce((sum, w) => sum + w, 0) / totalWeight : 0;
    const score = bm25 * (1 + coverage) + phraseBonus(concepts, candidate.body, found);
    return { paragraphId: candidate.paragraphId, score, coverage, matchedTerms: [...new Set(matchedTerms)], conceptsCovered };
  });
  return ranked.sort((a, b) => b.score - a.score || a.paragraphId - b.paragraphId);
}
