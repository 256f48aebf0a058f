/**
 * jieba with its own dictionary, for the parser's evidence: is a string one
 * dictionary word, and which part of speech (n noun, v verb, nr person name…).
 * One instance for the whole ingest stage (building one costs a few hundred ms).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

export interface TaggedWord {
  word: string;
  tag: string;
}

let jieba: Jieba | null = null;

/** `text` cut into words with their tags; `guess` lets jieba join unknown characters into words (names among them). */
export function tagWords(text: string, guess = false): TaggedWord[] {
  jieba ??= Jieba.withDict(dict);
  return jieba.tag(text, guess);
}

/** Whether jieba cuts `text` so that a word starts at `start` and one ends at `end`. */
export function isWordBoundary(text: string, start: number, end: number): boolean {
  let at = 0;
  let starts = false;
  for (const { word } of tagWords(text, true)) {
    if (at === start) starts = true;
    at += word.length;
    if (at === end) return starts;
    if (at > end) return false;
  }
  return false;
}

/**
 * How clearly a name would stand from `start` to `end` in `norm`: 2 when punctuation, a space or the end
 * follows; 1 when jieba, guessing unknown words, cuts the text there (`陆某|主持`); 0 inside a word (`林郑月|娥`).
 */
export function boundaryStrength(norm: string, start: number, end: number): 0 | 1 | 2 {
  const next = norm[end];
  if (next === undefined || !/[\u3400-\u9fff]/.test(next)) return 2;
  return isWordBoundary(norm.slice(start, end + 6), 0, end - start) ? 1 : 0;
}
