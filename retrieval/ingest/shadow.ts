/**
 * The shadow of a line: the same text folded for matching, one character
 * for one character, so that every rule reads one form and what it finds can
 * be cut from the verbatim text at the same offsets. Folded: full-width
 * letters, digits and punctuation to half-width (`：` → `:`, `，` → `,`),
 * U+3000 and NBSP to a space, traditional characters to simplified
 * (`記者` → `记者`). The stored text is never the shadow.
 */
import { toSimplified } from '../text.js';

/** One character's compatibility form when it is one character too (`：` → `:`; `㈠` → `(一)` would shift offsets and is kept). */
function foldCharacter(character: string): string {
  const folded = character.normalize('NFKC');
  return folded.length === character.length ? folded : character;
}

function foldWidth(text: string): string {
  // Almost every line folds to the same length at once; only one that does not is folded character by character.
  const whole = text.normalize('NFKC');
  if (whole.length === text.length) return whole;
  let folded = '';
  for (const character of text) folded += foldCharacter(character);
  return folded;
}

/** `text` folded for matching, exactly as long as `text`. */
export function shadowOf(text: string): string {
  const width = foldWidth(text);
  const simplified = toSimplified(width);
  if (simplified.length === width.length) return simplified;
  // A phrase converted to a different length (rare): convert character by character instead, keeping those that would change length.
  let folded = '';
  for (const character of width) {
    const converted = toSimplified(character);
    folded += converted.length === character.length ? converted : character;
  }
  return folded;
}

/** A line or paragraph with its shadow, computed once and read by every rule. */
export interface Shadowed {
  text: string;
  norm: string;
}

export function shadowed(text: string | Shadowed): Shadowed {
  return typeof text === 'string' ? { text, norm: shadowOf(text) } : text;
}
