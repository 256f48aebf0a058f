/**
 * Full-text search values for PostgreSQL, pure. The index tokens are those
 * SQLite FTS5's unicode61 tokenizer makes of the segmented words (runs of
 * letters, digits and marks; diacritics removed), so both stores count the
 * same terms. A paragraph's tokens are written as a tsvector literal with
 * positions (PostgreSQL's own parsers would split Chinese differently), and
 * a question's terms as a tsquery literal; neither passes through a parser.
 */

const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** The index tokens of segmented words, in order. */
export function indexTokens(words: readonly string[]): string[] {
  return words.flatMap((word) => (word.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase().match(TOKEN) ?? []));
}

/** A lexeme quoted for a tsvector or tsquery literal. */
function lexeme(token: string): string {
  return `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** PostgreSQL keeps positions up to this; later ones are clamped, which only matters for phrase queries (none here). */
const MAX_POSITION = 16383;

/** `tokens` as a tsvector literal: each distinct token with the positions where it occurs (its term frequency). */
export function tsvectorLiteral(tokens: readonly string[]): string {
  const positions = new Map<string, number[]>();
  tokens.forEach((token, i) => {
    const list = positions.get(token) ?? [];
    list.push(Math.min(i + 1, MAX_POSITION));
    positions.set(token, list);
  });
  return [...positions].map(([token, list]) => `${lexeme(token)}:${[...new Set(list)].join(',')}`).join(' ');
}

/** A tsquery literal matching any of `terms`. */
export function anyTermQuery(terms: readonly string[]): string {
  return terms.map(lexeme).join(' | ');
}

/** How many paragraphs hold each token, and how often it occurs in all, for BM25. */
export function countTerms(paragraphs: Iterable<readonly string[]>): Map<string, { paragraphs: number; occurrences: number }> {
  const counts = new Map<string, { paragraphs: number; occurrences: number }>();
  for (const tokens of paragraphs) {
    for (const token of tokens) {
      const count = counts.get(token) ?? { paragraphs: 0, occurrences: 0 };
      count.occurrences += 1;
      counts.set(token, count);
    }
    for (const token of new Set(tokens)) counts.get(token)!.paragraphs += 1;
  }
  return counts;
}
