/**
 * Does full text answer the question, partly answer it, or not at all?
 * Two tests, both measured in the question's own IDF weights, and no
 * constant fitted to any question set:
 *
 * - Beyond chance: the best passage must cover more of the concepts the index
 *   knows than questions made of as many unrelated words (drawn from random
 *   paragraphs) nearly all reach by chance (their lowest decile). A long
 *   question is compared with long chance questions: the share of a question
 *   one passage covers by chance falls with its length.
 * - More found than lacking: a concept the index does not know at all cannot
 *   be found in any passage, so it does not count in the first test; but when
 *   such concepts (the things asked about: 半导体, 芯片 — not verbs like 谈到,
 *   which only say how the question is put, nor words outside a topic the
 *   question states, like 讲话 in 关于…，讲话里怎么说) weigh more than all the best
 *   passage matched, the corpus does not speak about what was asked.
 */
import type { IndexStatistics, RankedCandidate, WeightedConcept } from './lexical-ranking.js';

/**
 * direct: the passages speak of what was asked; partial: they say something about it, but `missing` (core concepts)
 * appear nowhere in the corpus; none: nothing meaningful matched (`missing`: what the corpus lacks of it). `found`: the
 * question's core words the best passages hold, widest first kept (自来水, not also 自来).
 */
export interface LexicalEvidence {
  kind: 'direct' | 'partial' | 'none';
  missing: string[];
  found: string[];
}

/** Share of chance questions whose best coverage stays below the threshold: the lowest decile, so that a decline means nothing meaningful matched. */
const CHANCE_QUANTILE = 0.1;

export function chanceCoverageThreshold(chanceCoverages: number[]): number {
  if (chanceCoverages.length === 0) return 0.5;
  const sorted = [...chanceCoverages].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(CHANCE_QUANTILE * sorted.length))]!;
}

/**
 * The candidates that match something inside the topic the question states. One that matches only the words outside
 * it (讲话 of 关于自来水厂，讲话里是怎么说的) is no answer, and the caveat over the quotes (these passages speak of 水厂)
 * would not be true of it. (Verbs inside the topic count: 防汛, 演练 are what 防汛演练检验了哪些方面 asks about.) When no
 * candidate matches anything inside the topic, all stay: they are then shown only as the closest passages.
 */
export function aboutWhatWasAsked(concepts: WeightedConcept[], ranked: RankedCandidate[]): RankedCandidate[] {
  const relevant = ranked.filter((candidate) => candidate.conceptsCovered.some((weight, i) => weight > 0 && !concepts[i]!.frame));
  return relevant.length > 0 ? relevant : ranked;
}

/** Concepts the index knows (whole or by a part) and that say something (a word in most paragraphs weighs 0). */
function knownConcepts(concepts: WeightedConcept[]): WeightedConcept[] {
  return concepts.filter((c) => !c.unknown && c.weight > 0);
}

/** The number of words of the chance questions this question is compared with. */
export function knownConceptCount(concepts: WeightedConcept[]): number {
  return knownConcepts(concepts).length;
}

function weightOf(concepts: WeightedConcept[]): number {
  return concepts.reduce((sum, c) => sum + c.weight, 0);
}

/**
 * `best`: the best passages; `chanceThreshold`: the chance coverage for
 * questions of `knownConceptCount(concepts)` words (unused below two: one
 * word co-occurs with nothing). Partial when a core concept (at least half
 * the weight of the question's heaviest one, and no verb or adjective)
 * appears nowhere in the corpus as a whole (养老保险 when only 养老 does):
 * the passages then speak about part of what was asked.
 */
export function judgeLexicalEvidence(concepts: WeightedConcept[], best: RankedCandidate[], chanceThreshold: number): LexicalEvidence {
  const known = knownConcepts(concepts);
  const asked = (c: WeightedConcept) => !c.predicate && !c.frame;
  const heaviest = Math.max(...concepts.map((c) => c.weight));
  const core = concepts.filter((c) => c.weight >= heaviest / 2 && asked(c));
  const found = widest([...new Set(best.flatMap((b) => b.matchedTerms))].filter((term) => core.some((c) => c.terms.includes(term) || c.parts.includes(term))));
  const judged = (kind: LexicalEvidence['kind'], lacking: WeightedConcept[]) => ({ kind, missing: lacking.map((c) => c.label), found });
  const none = () => judged('none', core.filter((c) => c.absent));
  // The weight of `which` concepts each best passage covers, at most.
  const covered = (which: (c: WeightedConcept) => boolean) =>
    Math.max(0, ...best.map((b) => b.conceptsCovered.reduce((sum, w, i) => sum + (which(concepts[i]!) ? w : 0), 0)));
  if (covered(() => true) === 0) return none();
  if (known.length >= 2 && covered(() => true) / weightOf(known) <= chanceThreshold) return none();
  const lacking = weightOf(concepts.filter((c) => c.unknown && asked(c)));
  if (lacking > 0 && covered(asked) <= lacking) return none();
  const missing = core.filter((c) => c.absent);
  return judged(missing.length === 0 ? 'direct' : 'partial', missing);
}

/** Whether every character of `word` is in one of `parts` (where the part occurs in the word). */
function coversWord(word: string, parts: string[]): boolean {
  const covered = new Array<boolean>(word.length).fill(false);
  for (const part of parts) {
    for (let at = word.indexOf(part); at >= 0; at = word.indexOf(part, at + 1)) covered.fill(true, at, at + part.length);
  }
  return covered.every(Boolean);
}

/** 自来水 says all that 自来 would. */
function widest(terms: string[]): string[] {
  return terms.filter((term) => !terms.some((other) => other !== term && other.includes(term)));
}

/** Words shown per concept in "Searched": its main expressions, not every dictionary variant. */
const SHOWN_PER_CONCEPT = 2;

/**
 * What the reply says was searched: for each concept, the words the index knows that it was searched by, the
 * corpus's commonest first (the sense this corpus uses: 老人 before 高龄), whole translations before their parts.
 */
export function searchedWords(concepts: WeightedConcept[], stats: IndexStatistics): string[] {
  const byUse = (words: string[]) =>
    words.filter((word) => stats.documentFrequency(word) > 0).sort((a, b) => stats.documentFrequency(b) - stats.documentFrequency(a));
  return [...new Set(concepts.flatMap((c) => [...byUse(c.terms), ...byUse(c.parts)].slice(0, SHOWN_PER_CONCEPT)))];
}

/** A passage found by part of a word of the question only (计算 of 计算机): it may speak of something else. */
export interface Fragment {
  /** The parts found in the passage. */
  parts: string[];
  /** The question's word they are part of. */
  of: string;
}

/**
 * The question's words a passage matched only by a part (计算, not 计算机; 养老 and 服务 together are all of 养老服务):
 * flagged on the passage, so that a quote about calculating is not passed off as one about computers. Words the caveat already names as missing from the
 * whole corpus (`missing`), the frame of the question, and English words (whose parts are translations) are not
 * flagged.
 */
export function fragmentsMatched(concepts: WeightedConcept[], matchedTerms: string[], missing: string[]): Fragment[] {
  const matched = new Set(matchedTerms);
  return concepts.flatMap((c) => {
    if (c.span !== null || c.frame || missing.includes(c.label) || c.terms.some((t) => matched.has(t))) return [];
    const parts = widest(c.parts.filter((part) => matched.has(part)));
    // 养老 and 服务 apart still say all of 养老服务: only a word some of whose characters no part found is a fragment.
    return parts.length > 0 && !coversWord(c.label, parts) ? [{ parts, of: c.label }] : [];
  });
}
