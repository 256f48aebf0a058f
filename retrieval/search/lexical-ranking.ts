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

/** A term of a concept as each candidate is searched for it, its IDF computed once. */
interface SoughtTerm {
  term: string;
  idf: number;
  /** One of the concept's own terms, not a part. */
  whole: boolean;
}

const SPACE = 0x20;

/**
 * How often `term` is one of `words` (space-separated): an occurrence with a space or an end of `words` on either
 * side. The term is sought, not the term with its spaces (a search for a space stops at every word), and `words` is
 * read as stored, not copied with a space at each end.
 */
function occurrences(words: string, term: string): number {
  let count = 0;
  for (let at = words.indexOf(term); at >= 0 && at < words.length; ) {
    const end = at + term.length;
    if ((at === 0 || words.charCodeAt(at - 1) === SPACE) && (end === words.length || words.charCodeAt(end) === SPACE)) {
      count += 1;
      at = words.indexOf(term, end + 1);
    } else {
      at = words.indexOf(term, at + 1);
    }
  }
  return count;
}

/** How many words `words` (space-separated) holds. */
function wordCount(words: string): number {
  if (words === '') return 0;
  let count = 1;
  for (let i = 0; i < words.length; i++) if (words.charCodeAt(i) === SPACE) count += 1;
  return count;
}

/** Adjacent concept pairs of the question that also stand adjacent in the paragraph. */
function phraseBonus(concepts: WeightedConcept[], body: string, found: (string | null)[]): number {
  let joined: string | null = null;
  let bonus = 0;
  for (let i = 0; i + 1 < concepts.length; i++) {
    const [a, b] = [found[i], found[i + 1]];
    if (!a || !b) continue;
    // Only a paragraph with two neighbouring concepts is read without its spaces.
    joined ??= body.replaceAll(' ', '');
    if (joined.includes(a + b)) bonus += Math.min(concepts[i]!.weight, concepts[i + 1]!.weight);
  }
  return bonus;
}

export function rankCandidates(concepts: WeightedConcept[], candidates: Candidate[], stats: IndexStatistics): RankedCandidate[] {
  const totalWeight = concepts.reduce((sum, c) => sum + c.weight, 0);
  // What does not depend on the candidate is worked out once per question, not once per candidate.
  const sought: SoughtTerm[][] = concepts.map((concept) =>
    [...concept.terms, ...concept.parts].map((term) => ({
      term, idf: inverseDocumentFrequency(stats, term), whole: concept.terms.includes(term),
    })),
  );
  const ranked = candidates.map((candidate) => {
    const { body, context } = candidate;
    const length = wordCount(body) + CONTEXT_WEIGHT * wordCount(context);
    const norm = K1 * (1 - B + (B * length) / Math.max(stats.averageLength, 1));
    let bm25 = 0;
    const matchedTerms: string[] = [];
    const conceptsCovered: number[] = [];
    const found: (string | null)[] = [];
    for (const [c, concept] of concepts.entries()) {
      let best = 0;
      let bestTerm: SoughtTerm | null = null;
      let whole = false;
      for (const term of sought[c]!) {
        const tf = occurrences(body, term.term) + CONTEXT_WEIGHT * occurrences(context, term.term);
        if (tf === 0) continue;
        matchedTerms.push(term.term);
        const value = (term.idf * tf * (K1 + 1)) / (tf + norm);
        if (term.whole) whole = true;
        if (value > best || bestTerm === null) [best, bestTerm] = [value, term];
      }
      // A part covers the concept only as much as the part weighs.
      conceptsCovered.push(bestTerm === null ? 0 : whole ? concept.weight : Math.min(bestTerm.idf, concept.weight));
      bm25 += best;
      found.push(bestTerm?.term ?? null);
    }
    const coverage = totalWeight > 0 ? conceptsCovered.reduce((sum, w) => sum + w, 0) / totalWeight : 0;
    const score = bm25 * (1 + coverage) + phraseBonus(concepts, body, found);
    return { paragraphId: candidate.paragraphId, score, coverage, matchedTerms: [...new Set(matchedTerms)], conceptsCovered };
  });
  return ranked.sort((a, b) => b.score - a.score || a.paragraphId - b.paragraphId);
}
