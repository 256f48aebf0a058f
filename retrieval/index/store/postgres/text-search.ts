/**
 * Full-text values for PostgreSQL, pure. The index tokens are those SQLite
 * FTS5's unicode61 tokenizer makes of the segmented words (runs of letters,
 * digits and marks; diacritics removed), so both stores count the same
 * terms. They are stored as postings written here, not parsed by
 * PostgreSQL, whose text-search parsers would split Chinese differently.
 */

const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** The index tokens of segmented words, in order. */
export function indexTokens(words: readonly string[]): string[] {
  return words.flatMap((word) => (word.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase().match(TOKEN) ?? []));
}

/** How often each token occurs in one paragraph (its term frequency). */
export function termCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}
