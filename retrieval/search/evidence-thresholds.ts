/**
 * The full-text evidence thresholds of a generation, measured at build time
 * (index/build.ts calls this through search/build.ts before it publishes): for
 * each question size, the coverage that questions made of as many unrelated
 * words reach by chance (see lexical-evidence.ts). Dozens of full-text searches
 * per size: work no person should wait for at their first question.
 */
import type { FullTextCalibration } from '../index/manifest.js';
import { splitWords, type IndexReader } from '../index/store/store.js';
import { MemoryFullText } from '../index/store/memory-full-text.js';
import { Segmenter } from '../index/segment.js';
import { seededRandom } from '../seeded-random.js';
import { chanceCoverageThreshold } from './lexical-evidence.js';
import { lexicalSearch } from './search-lexical.js';

/** The longest chance question measured: longer questions share its threshold (see thresholdFor). */
export const MAX_CHANCE_SIZE = 12;
/** Candidates a chance question ranks: as many as a person's question does (search.ts). */
const CHANCE_CANDIDATES = 50;
/** Chance questions per size: enough for a stable lowest decile. */
const CHANCE_QUESTIONS = 60;

/**
 * The best coverage reached by questions made of `size` unrelated words: each
 * one word (of two or more Han characters) from a random paragraph. See lexical-evidence.ts.
 */
async function chanceCoverages(fullText: MemoryFullText, segmenter: Segmenter, size: number): Promise<number[]> {
  const rows = fullText.rows;
  if (size < 2 || rows.length === 0) return [];
  // Seeded by the index: the same index always gets the same threshold.
  const random = seededRandom(rows.length);
  const coverages: number[] = [];
  for (let q = 0; q < CHANCE_QUESTIONS; q++) {
    const words: string[] = [];
    for (let w = 0; w < size; w++) {
      const choices = splitWords(fullText.match(Math.floor(random() * rows.length)).bodyWords).filter((word) => /^\p{Script=Han}{2,}$/u.test(word));
      const word = choices[Math.floor(random() * choices.length)];
      if (word !== undefined) words.push(word);
    }
    if (words.length === 0) continue;
    const { ranked } = await lexicalSearch(fullText, segmenter, words.join(' '), CHANCE_CANDIDATES);
    coverages.push(ranked[0]?.coverage ?? 0);
  }
  return coverages;
}

/**
 * Measures the thresholds of every question size from 2 to MAX_CHANCE_SIZE words (one word co-occurs with nothing),
 * on the generation's words held in memory (index/store/memory-full-text.ts): hundreds of searches, each ranked as the
 * store ranks it, without a database round trip each.
 */
export async function measureEvidenceThresholds(reader: IndexReader, log: (line: string) => void = () => {}): Promise<FullTextCalibration> {
  const started = performance.now();
  const segmenter = Segmenter.for(reader.catalogue.vocabulary);
  const fullText = new MemoryFullText(await reader.fullTextRows(), reader.statistics);
  const evidenceThresholds: FullTextCalibration['evidenceThresholds'] = [];
  for (let size = 2; size <= MAX_CHANCE_SIZE; size++) {
    evidenceThresholds.push({ size, threshold: chanceCoverageThreshold(await chanceCoverages(fullText, segmenter, size)) });
  }
  log(`full text: evidence thresholds for questions of 2–${MAX_CHANCE_SIZE} words, ${CHANCE_QUESTIONS} chance questions each, ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { chanceQuestions: CHANCE_QUESTIONS, evidenceThresholds };
}

/**
 * The threshold for a question of `knownConcepts` words, read from the generation's manifest. Longer questions than
 * MAX_CHANCE_SIZE share its threshold, which is higher than theirs would be (chance coverage falls with length): a long
 * question is judged a little more strictly.
 */
export function thresholdFor(calibration: FullTextCalibration, knownConcepts: number): number {
  const size = Math.min(knownConcepts, MAX_CHANCE_SIZE);
  return calibration.evidenceThresholds.find((t) => t.size === size)?.threshold ?? chanceCoverageThreshold([]);
}
