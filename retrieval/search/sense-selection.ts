/**
 * Which sense of an English word a question means, by corpus evidence.
 * CC-CEDICT translates "vice" as 副 (deputy) and as 次 (second, inferior);
 * "mayor" as 市长. In the passages found, 副 stands right before 市长 (副市长)
 * and 次 does not: a translation (or a part of one: 门诊 of 门诊室 "clinic",
 * beside 发热 in 发热门诊) written next to a translation of the word beside it
 * in the question is the sense meant, and the other translations are dropped, from the ranking and from what the reply says was searched. A
 * word without such evidence keeps all its translations.
 */
import type { Concept } from './query-analysis.js';

/**
 * `inPassages`: whether any of the candidate passages (normalised, with their speaker and titles), where the evidence
 * is sought, contains a text.
 */
export function selectSenses(concepts: Concept[], inPassages: (text: string) => boolean): Concept[] {
  const supported = concepts.map(() => new Set<string>());
  // What an English word is searched by: its translations; where the passages have none of them, their parts (门诊 of
  // 门诊室 "clinic"), as search itself does (weighConcepts); or the related words that stand in for them (发热
  // "feverish" for fever). A part is a wider word (工作 of 工作组 "task force"): it is no sense where a whole one is found.
  const searchedBy = (concept: Concept) => {
    if (concept.related.length > 0) return concept.related;
    return concept.terms.some(inPassages) ? concept.terms : concept.parts;
  };
  for (const [i, left] of concepts.entries()) {
    for (const [j, right] of concepts.entries()) {
      if (!left.span || !right.span || right.span[0] !== left.span[1]) continue;
      for (const a of searchedBy(left)) {
        for (const b of searchedBy(right)) {
          // Two translations side by side are in a passage only if each of them is in one.
          if (!inPassages(a) || !inPassages(b) || !inPassages(a + b)) continue;
          supported[i]!.add(a);
          supported[j]!.add(b);
        }
      }
    }
  }
  return concepts.map((concept, i) => {
    const chosen = supported[i]!;
    if (chosen.size === 0) return concept;
    const keep = (words: string[]) => words.filter((word) => chosen.has(word));
    return { ...concept, terms: keep(concept.terms), parts: keep(concept.parts), related: keep(concept.related) };
  });
}
