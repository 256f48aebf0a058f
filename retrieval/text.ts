/**
 * Text as retrieval reads and compares it, shared by every stage and by the
 * bot's presentation: one way of writing the same word (normalisation), where
 * sentences and clauses end, the comparable form of a passage, and the runs of
 * words text is split into. Full-width and traditional text are the norm in
 * real Chinese documents, so nothing here assumes half-width or simplified.
 */
import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

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

/** Marks that end a sentence, in both widths: text is not always normalised where it is cut. */
const SENTENCE_END_MARKS = '。！？!?';
/** Where a long sentence may be cut without cutting a clause: its end, or a semicolon. */
const SENTENCE_BREAK_MARKS = `${SENTENCE_END_MARKS}；;`;
/** Where a clause ends. */
const CLAUSE_BREAK_MARKS = `${SENTENCE_BREAK_MARKS}，,、：:`;

/** A sentence-ending mark or semicolon, either width. */
export const SENTENCE_BREAK = new RegExp(`[${SENTENCE_BREAK_MARKS}]`);
/** A mark that ends a clause (sentence ends, semicolons, commas, enumeration commas, colons) or white space. */
export const CLAUSE_BREAK = new RegExp(`[${CLAUSE_BREAK_MARKS}\\s]`);

/** Pieces of `text` that each end after a sentence break (the mark stays with its piece). */
export function splitAfterSentenceBreaks(text: string): string[] {
  return text.split(new RegExp(`(?<=[${SENTENCE_BREAK_MARKS}])`));
}

/** Whether `text` holds anything to search for: a letter or a digit of any script. */
export function hasWord(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Runs of Han characters: words never cross punctuation, Latin text or digits. */
export function hanRuns(text: string): string[] {
  return text.match(/\p{Script=Han}+/gu) ?? [];
}
