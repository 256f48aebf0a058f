/**
 * What a person types → the question and its filters. Filters are written
 * `speaker:NAME` / `source:NAME` (also 讲话人: / 来源:), or as a speaker's
 * name and a colon before the question (`王爱武: 养老`). A question too long
 * to search is cut where a sentence, clause or word ends.
 */
import type { Segmenter } from '../index/segment.js';
import { clauseEnds, sentenceEnds } from '../text.js';

export interface Question {
  text: string;
  speaker?: string;
  source?: string;
}

const FILTER = /(?:^|\s)(speaker|source|讲话人|发言人|来源|出处)[::]\s*(?:"([^"]+)"|“([^”]+)”|(\S+))/gi;

export function parseQuestion(input: string, knownSpeakers: string[] = []): Question {
  const question: Question = { text: '' };
  let text = input.replace(FILTER, (_, key: string, quoted?: string, curly?: string, bare?: string) => {
    const value = (quoted ?? curly ?? bare ?? '').trim();
    if (/^(speaker|讲话人|发言人)$/i.test(key)) question.speaker = value;
    else question.source = value;
    return ' ';
  });
  const leadingName = /^\s*([\u4e00-\u9fa5]{2,4})\s*[::]\s*(.+)$/s.exec(text);
  if (!question.speaker && leadingName && knownSpeakers.includes(leadingName[1]!)) {
    question.speaker = leadingName[1]!;
    text = leadingName[2]!;
  }
  question.text = text.trim();
  return question;
}

/** Longer than any word jieba knows. */
const WORD_LOOKAHEAD = 16;

/**
 * The beginning of `text` that is searched when it is longer than `max`: up to the last sentence end within the
 * limit, else the last clause end, else the last word boundary (jieba's), so that no word is cut in two (有什么 cut
 * to 有什 would be searched, and reported missing, as a word of its own). A break in the first half of the text
 * would throw most of it away: the next kind of break is tried instead.
 */
export function questionWithin(text: string, max: number, segmenter: Segmenter): string {
  if (text.length <= max) return text;
  const lastBreak = (ends: (text: string) => number[]) => ends(text.slice(0, max)).filter((end) => end >= max / 2).at(-1);
  // Segmented a little past the limit, so that the word the limit falls in is seen whole.
  const wordStart = segmenter.wordStarts(text.slice(0, max + WORD_LOOKAHEAD)).filter((start) => start <= max && start >= max / 2).at(-1);
  // The end of a sentence, then of a clause: where a long question is best cut (after the mark).
  const end = lastBreak(sentenceEnds) ?? lastBreak(clauseEnds) ?? wordStart ?? max;
  return text.slice(0, end).trim();
}
