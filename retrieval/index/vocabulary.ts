/**
 * New-word discovery: the multi-character terms of a corpus that a general
 * dictionary lacks (policy names, slogans, place names), found in the corpus
 * itself. The method is the usual unsupervised one (Sproat & Shih 1990 for
 * cohesion; Feng et al. 2004 "accessor variety"/boundary entropy): a string
 * is a word when it is frequent, its parts stick together far more often than
 * chance (pointwise mutual information of its weakest split), and it occurs
 * in varied contexts on both sides (left and right boundary entropy).
 */
import fs from 'node:fs';
import { retrievalError } from '../errors.js';
import { hanRuns, normalise } from '../text.js';

export interface DiscoveryOptions {
  minLength: number;
  maxLength: number;
  /** Occurrences a term needs: fewer says nothing about it. */
  minCount: number;
  /** Weakest-split PMI (natural log) a term needs: its halves occur together e^x times more often than by chance. */
  minCohesion: number;
  /** Entropy (nats) of the characters before and after it: a word is used in several contexts. */
  minBoundaryEntropy: number;
}

/** Thresholds as commonly used for this method on texts of tens of thousands of characters and more. */
export const defaultDiscoveryOptions: DiscoveryOptions = {
  minLength: 2,
  maxLength: 6,
  minCount: 3,
  minCohesion: Math.log(50),
  minBoundaryEntropy: 1.0,
};

function entropy(counts: Map<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  let h = 0;
  for (const n of counts.values()) h -= (n / total) * Math.log(n / total);
  return h;
}

/** Terms of the corpus, most frequent first. */
export function discoverTerms(texts: readonly string[], options: DiscoveryOptions = defaultDiscoveryOptions): string[] {
  // Words never cross punctuation, Latin text or digits.
  const runs = texts.flatMap((text) => hanRuns(normalise(text)));
  const counts = new Map<string, number>();
  let characters = 0;
  for (const run of runs) {
    characters += run.length;
    for (let i = 0; i < run.length; i++) {
      for (let n = 1; n <= options.maxLength && i + n <= run.length; n++) {
        const gram = run.slice(i, i + n);
        counts.set(gram, (counts.get(gram) ?? 0) + 1);
      }
    }
  }
  const probability = (gram: string): number => (counts.get(gram) ?? 0) / characters;
  const cohesive = new Set<string>();
  for (const [gram, count] of counts) {
    if (gram.length < options.minLength || count < options.minCount) continue;
    let weakest = Infinity;
    for (let split = 1; split < gram.length; split++) {
      const pmi = Math.log(probability(gram) / (probability(gram.slice(0, split)) * probability(gram.slice(split))));
      weakest = Math.min(weakest, pmi);
    }
    if (weakest >= options.minCohesion) cohesive.add(gram);
  }
  // Second pass: the neighbours of the cohesive candidates only. A run's edge counts as a distinct neighbour each time.
  const left = new Map<string, Map<string, number>>();
  const right = new Map<string, Map<string, number>>();
  let edge = 0;
  const note = (table: Map<string, Map<string, number>>, gram: string, neighbour: string | undefined): void => {
    const row = table.get(gram) ?? new Map<string, number>();
    const key = neighbour ?? `#${edge++}`;
    row.set(key, (row.get(key) ?? 0) + 1);
    table.set(gram, row);
  };
  for (const run of runs) {
    for (let i = 0; i < run.length; i++) {
      for (let n = options.minLength; n <= options.maxLength && i + n <= run.length; n++) {
        const gram = run.slice(i, i + n);
        if (!cohesive.has(gram)) continue;
        note(left, gram, run[i - 1]);
        note(right, gram, run[i + n]);
      }
    }
  }
  return [...cohesive]
    .filter((gram) => Math.min(entropy(left.get(gram)!), entropy(right.get(gram)!)) >= options.minBoundaryEntropy)
    .sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b));
}

/**
 * An optional user dictionary: one term per line; anything after the first
 * white space (jieba's frequency and tag columns) and lines starting with #
 * are ignored.
 */
export function readUserDictionary(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw retrievalError('CONFIG_INVALID', `USER_DICTIONARY ${file} cannot be read (${(error as Error).message}); fix the path or unset it`);
  }
  return text
    .split('\n')
    .map((line) => normalise(line.trim().split(/\s+/)[0] ?? ''))
    .filter((term) => term !== '' && !term.startsWith('#'));
}
