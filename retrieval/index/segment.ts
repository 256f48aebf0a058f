/**
 * Word segmentation for full-text search. SQLite's tokenizers do not split
 * Chinese into words, so paragraphs and questions are segmented here with
 * jieba (search mode: long words also yield their parts, so 高质量发展 is
 * found by 高质量发展, 质量 and 发展). jieba's own dictionary lacks the
 * terms of a particular corpus; those are discovered from the corpus at build
 * time (vocabulary.ts), stored with the index and loaded as a user dictionary,
 * so index and query are segmented with the same words.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { hasWord, normalise } from '../text.js';

export interface TaggedWord {
  word: string;
  /** jieba's part-of-speech tag (ICTCLAS set: n noun, v verb, r pronoun, u particle …). */
  tag: string;
}

/** A jieba instance with a corpus vocabulary loaded. Building one costs a few hundred ms: `Segmenter.for` caches them. */
export class Segmenter {
  private static readonly cache = new Map<string, Segmenter>();

  private constructor(private readonly jieba: Jieba) {}

  static for(vocabulary: readonly string[]): Segmenter {
    const key = vocabulary.join('\n');
    let segmenter = Segmenter.cache.get(key);
    if (!segmenter) {
      const jieba = Jieba.withDict(dict);
      // A high frequency makes jieba keep the term whole (search mode still yields its parts).
      if (vocabulary.length > 0) jieba.loadDict(Buffer.from(vocabulary.map((term) => `${term} 100000 n`).join('\n')));
      segmenter = new Segmenter(jieba);
      Segmenter.cache.set(key, segmenter);
    }
    return segmenter;
  }

  /** Search-mode tokens of a text, normalised, without punctuation or white space. */
  segment(text: string): string[] {
    return this.jieba
      .cutForSearch(normalise(text), true)
      .map((token) => token.trim())
      .filter(hasWord);
  }

  /** Where each word of `text` starts, as written (not normalised): the places a text may be cut without cutting a word. */
  wordStarts(text: string): number[] {
    const starts: number[] = [];
    let at = 0;
    for (const word of this.jieba.cut(text, true)) {
      starts.push(at);
      at += word.length;
    }
    return starts;
  }

  /** Words of a text with their part of speech (whole words, not search-mode parts). */
  tag(text: string): TaggedWord[] {
    return this.jieba
      .tag(normalise(text), true)
      .map(({ word, tag }) => ({ word: word.trim(), tag }))
      .filter(({ word }) => hasWord(word));
  }
}
