/**
 * Text as retrieval reads and compares it, shared by every stage and by the
 * bot's presentation: one way of writing the same word (normalisation), where
 * sentences and clauses end, the comparable form of a passage, and the runs of
 * words text is split into. Full-width and traditional text are the norm in
 * real Chinese documents, so nothing here assumes half-width or simplified.
 */
import * as OpenCC from 'opencc-js';

/** Traditional characters to simplified (opencc-js, phrase by phrase: the length may change). */
export const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Simplified script and half-width letters, digits and punctuation (NFKC): how the corpus is matched verbatim. */
export function normaliseScript(text: string): string {
  return toSimplified(text.normalize('NFKC'));
}

/** One form for every way of writing the same word: `normaliseScript`, lower case. */
export function normalise(text: string): string {
  return normaliseScript(text).toLowerCase();
}

/**
 * The form in which a quote is compared with a passage (and a passage with its
 * repeated printing): normalised, without white space, punctuation or symbols,
 * so a quote copied with other spacing, width or script still matches.
 */
export function comparableText(text: string): string {
  return normalise(text).replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * Where a sentence ends (just after the mark), in either width, since text is
 * not always normalised where it is cut: full stops, exclamation and question
 * marks, semicolons, an ellipsis, a line break; a Latin full stop before white space.
 */
const SENTENCE_END = '[。！？!?；;…\\n]|\\.(?=\\s)';
/** Where a clause ends inside a sentence: commas, the enumeration comma, colons, white space. */
const CLAUSE_END = '[，、,：:\\s]';

const SENTENCE_ENDS = new RegExp(SENTENCE_END, 'g');
const CLAUSE_ENDS = new RegExp(CLAUSE_END, 'g');
const ONE_SENTENCE_END = new RegExp(`^(?:${SENTENCE_END})$`);
const AFTER_SENTENCE_END = new RegExp(`(?<=${SENTENCE_END})`);
const SENTENCE_OR_CLAUSE_END = new RegExp(`${SENTENCE_END}|${CLAUSE_END}`);

/** The offsets just after each sentence end in `text`: where it may be cut between sentences. */
export function sentenceEnds(text: string): number[] {
  return [...text.matchAll(SENTENCE_ENDS)].map((match) => match.index + match[0].length);
}

/** The offsets just after each clause end (comma, colon, space) in `text`. */
export function clauseEnds(text: string): number[] {
  return [...text.matchAll(CLAUSE_ENDS)].map((match) => match.index + match[0].length);
}

/** Whether `char` ends a sentence (a Latin full stop alone cannot tell, and does not). */
export function isSentenceEnd(char: string): boolean {
  return ONE_SENTENCE_END.test(char);
}

/** `text` in sentences, each with its end mark. */
export function splitSentences(text: string): string[] {
  return text.split(AFTER_SENTENCE_END);
}

/** `text` in clauses and sentences, without their marks. */
export function splitClauses(text: string): string[] {
  return text.split(SENTENCE_OR_CLAUSE_END);
}

/** Whether `text` holds anything to search for: a letter or a digit of any script. */
export function hasWord(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Runs of Han characters: words never cross punctuation, Latin text or digits. */
export function hanRuns(text: string): string[] {
  return text.match(/\p{Script=Han}+/gu) ?? [];
}
