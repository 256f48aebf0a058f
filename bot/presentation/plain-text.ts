/**
 * Telegram HTML made by this bot's presentation → plain text for the console:
 * one rendering of each reply, read in two places. Only the tags the
 * presentation writes occur (b, i, code, blockquote) and every inserted text
 * is escaped, so dropping the tags and decoding the four entities gives back
 * exactly the text; a blockquote becomes 「…」, as quotes are in answerText.
 */
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' };

export function plainText(html: string): string {
  return html
    .replace(/<blockquote>/g, '「')
    .replace(/<\/blockquote>/g, '」')
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:lt|gt|quot|amp);/g, (entity) => ENTITIES[entity]!);
}
