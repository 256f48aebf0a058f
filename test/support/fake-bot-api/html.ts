/**
 * Telegram's HTML parse mode, a port of TDLib's parse_html working on UTF-8
 * bytes so that the reported byte offsets match Telegram's. Tests use it to
 * check that a reply would be accepted, and to read it as Telegram shows it.
 */
import type { MessageEntity } from 'grammy/types';

/** A TDLib HTML parse error; the Bot API prefixes it with "can't parse entities: ". */
export class HtmlParseError extends Error {}

export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const SUPPORTED_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'tg-time', 'span', 'pre', 'code', 'blockquote',
]);
const NAMED_ENTITIES: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
const SIMPLE_ENTITY_TYPES: Record<string, MessageEntity['type']> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
};

const ch = (s: string) => s.charCodeAt(0);
const [LT, GT, AMP, SLASH, EQ, HASH, DQUOTE, SQUOTE, DOT, DASH, SEMI] = [...'<>&/=#"\'.-;'].map(ch);
// TDLib's is_space also treats the terminating NUL as a space.
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isAlnum = (c: number) => isDigit(c) || isAlpha(c);
const isHexDigit = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
const hexValue = (c: number) => (isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10);
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

interface OpenTag {
  tag: string;
  attributes: Record<string, string>;
  utf16Offset: number;
  resultStart: number;
}

class HtmlParser {
  private readonly bytes: Buffer;
  private readonly out: number[] = [];
  private readonly open: OpenTag[] = [];
  private readonly entities: MessageEntity[] = [];
  /** Languages of `<code class="language-x">` that an enclosing `<pre>` may still claim. */
  private readonly codeLanguages = new Map<MessageEntity, string>();
  private utf16 = 0;
  private i = 0;

  constructor(html: string, private readonly strictEntities: boolean) {
    this.bytes = Buffer.from(html, 'utf8');
  }

  parse(): ParsedText {
    for (; this.i < this.bytes.length; this.i++) {
      const c = this.bytes[this.i]!;
      if (c === AMP && this.tryDecodeEntity()) continue;
      if (c !== LT) {
        this.pushByte(c);
        continue;
      }
      if (this.at(this.i + 1) === SLASH) this.closeTag();
      else this.openTag();
    }
    const unclosed = this.open.at(-1);
    if (unclosed) throw new HtmlParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
    return { text: Buffer.from(this.out).toString('utf8'), entities: sortEntities(this.entities) };
  }

  /** The byte at `pos`, or 0 past the end (TDLib reads a NUL-terminated string). */
  private at(pos: number): number {
    return pos < this.bytes.length ? this.bytes[pos]! : 0;
  }

  private slice(from: number, to: number): string {
    return this.bytes.subarray(from, to).toString('utf8');
  }

  private pushByte(c: number) {
    this.out.push(c);
    if ((c & 0xc0) !== 0x80) this.utf16 += c >= 0xf0 ? 2 : 1; // a 4-byte sequence is a surrogate pair
  }

  private tryDecodeEntity(): boolean {
    const decoded = decodeHtmlEntity(this.bytes, this.i, (p) => this.at(p));
    if (!decoded) {
      if (this.strictEntities) throw this.unsupportedEntity();
      return false;
    }
    if (decoded.code >= 0xd800 && decoded.code <= 0xdfff) {
      throw new HtmlParseError(
        'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units',
      );
    }
    this.out.push(...Buffer.from(String.fromCodePoint(decoded.code), 'utf8'));
    this.utf16 += decoded.code > 0xffff ? 2 : 1;
    this.i = decoded.next - 1;
    return true;
  }

  /** Stricter than Telegram, which would keep the `&` literally. */
  private unsupportedEntity(): HtmlParseError {
    let end = this.i + 1;
    if (this.at(end) === HASH) end++;
    while (isAlnum(this.at(end))) end++;
    if (this.at(end) === SEMI) end++;
    return new HtmlParseError(`Unsupported HTML entity "${this.slice(this.i, end)}" at byte offset ${this.i}`);
  }

  private openTag() {
    const begin = this.i++;
    while (!isSpace(this.at(this.i)) && this.at(this.i) !== GT) this.i++;
    if (this.at(this.i) === 0) throw new HtmlParseError(`Unclosed start tag at byte offset ${begin}`);
    const tag = asciiLower(this.slice(begin + 1, this.i));
    if (!SUPPORTED_TAGS.has(tag)) throw new HtmlParseError(`Unsupported start tag "${tag}" at byte offset ${begin}`);

    const attributes = this.readAttributes(tag, begin);
    if (tag === 'span' && attributes['class'] !== 'tg-spoiler') {
      throw new HtmlParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${begin}`);
    }
    if (tag === 'blockquote' && this.open.some((o) => o.tag === 'blockquote')) {
      // Stricter than Telegram: the docs say blockquotes can't be nested.
      throw new HtmlParseError(`Nested blockquote at byte offset ${begin}`);
    }
    this.open.push({ tag, attributes, utf16Offset: this.utf16, resultStart: this.out.length });
  }

  /** Reads attributes up to the closing `>`, leaving `i` on it. */
  private readAttributes(tag: string, begin: number): Record<string, string> {
    const attributes: Record<string, string> = {};
    while (this.at(this.i) !== GT) {
      while (this.at(this.i) !== 0 && isSpace(this.at(this.i))) this.i++;
      if (this.at(this.i) === GT) break;
      const nameBegin = this.i;
      while (!isSpace(this.at(this.i)) && this.at(this.i) !== EQ && this.at(this.i) !== GT) this.i++;
      const name = this.slice(nameBegin, this.i);
      if (name === '') throw new HtmlParseError(`Empty attribute name in the tag "${tag}" at byte offset ${begin}`);
      while (this.at(this.i) !== 0 && isSpace(this.at(this.i))) this.i++;
      if (this.at(this.i) !== EQ) {
        if (tag === 'blockquote' && name === 'expandable') {
          attributes[name] = '';
          continue;
        }
        throw new HtmlParseError(
          `Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${begin}`,
        );
      }
      this.i++;
      while (this.at(this.i) !== 0 && isSpace(this.at(this.i))) this.i++;
      if (this.at(this.i) === 0) throw new HtmlParseError(`Unclosed start tag "${tag}" at byte offset ${begin}`);
      attributes[name] = this.readAttributeValue();
      if (this.at(this.i) === 0) throw new HtmlParseError(`Unclosed start tag at byte offset ${begin}`);
    }
    return attributes;
  }

  private readAttributeValue(): string {
    const quote = this.at(this.i);
    if (quote !== DQUOTE && quote !== SQUOTE) {
      // An unquoted name token: letters, digits, periods and hyphens, case-insensitive.
      const tokenBegin = this.i;
      while (isAlnum(this.at(this.i)) || this.at(this.i) === DOT || this.at(this.i) === DASH) this.i++;
      if (!isSpace(this.at(this.i)) && this.at(this.i) !== GT) {
        throw new HtmlParseError(`Unexpected end of name token at byte offset ${tokenBegin}`);
      }
      return asciiLower(this.slice(tokenBegin, this.i));
    }
    this.i++;
    const value: number[] = [];
    while (this.at(this.i) !== quote && this.at(this.i) !== 0) {
      const decoded = this.at(this.i) === AMP ? decodeHtmlEntity(this.bytes, this.i, (p) => this.at(p)) : undefined;
      if (decoded) {
        value.push(...Buffer.from(String.fromCodePoint(decoded.code), 'utf8'));
        this.i = decoded.next;
      } else {
        value.push(this.at(this.i++));
      }
    }
    if (this.at(this.i) === quote) this.i++;
    return Buffer.from(value).toString('utf8');
  }

  private closeTag() {
    const begin = this.i;
    this.i += 2;
    const top = this.open.at(-1);
    if (!top) throw new HtmlParseError(`Unexpected end tag at byte offset ${begin}`);
    while (!isSpace(this.at(this.i)) && this.at(this.i) !== GT) this.i++;
    const endTag = asciiLower(this.slice(begin + 2, this.i));
    while (isSpace(this.at(this.i)) && this.at(this.i) !== 0) this.i++;
    if (this.at(this.i) !== GT) throw new HtmlParseError(`Unclosed end tag at byte offset ${begin}`);
    if (endTag !== '' && endTag !== top.tag) {
      throw new HtmlParseError(
        `Unmatched end tag at byte offset ${begin}, expected "</${top.tag}>", found "</${endTag}>"`,
      );
    }
    if (this.utf16 > top.utf16Offset) this.addEntity(top, this.utf16 - top.utf16Offset);
    this.open.pop();
  }

  private addEntity(tag: OpenTag, length: number) {
    const offset = tag.utf16Offset;
    const simple = SIMPLE_ENTITY_TYPES[tag.tag];
    if (simple) {
      this.entities.push({ type: simple, offset, length } as MessageEntity);
      return;
    }
    switch (tag.tag) {
      case 'a': {
        const url = tag.attributes['href'] || Buffer.from(this.out.slice(tag.resultStart)).toString('utf8');
        this.entities.push({ type: 'text_link', offset, length, url });
        return;
      }
      case 'tg-emoji': {
        const id = tag.attributes['emoji-id'] ?? '';
        if (!/^\d{1,19}$/.test(id) || BigInt(id) === 0n) {
          throw new HtmlParseError('Invalid custom emoji identifier specified');
        }
        this.entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: id });
        return;
      }
      case 'tg-time': {
        const unix = Number(tag.attributes['unix']);
        if (!Number.isInteger(unix)) return;
        const format = (tag.attributes['format'] ?? '') as MessageEntity.DateTimeMessageEntity['date_time_format'];
        this.entities.push({ type: 'date_time', offset, length, unix_time: unix, date_time_format: format });
        return;
      }
      case 'blockquote':
        this.entities.push({ type: 'expandable' in tag.attributes ? 'expandable_blockquote' : 'blockquote', offset, length });
        return;
      case 'pre':
      case 'code':
        this.addCodeEntity(tag, offset, length);
        return;
    }
  }

  /**
   * Like TDLib: `<pre><code class="language-x">` (either nesting order) with the same
   * span becomes one pre entity with a language; a standalone code keeps none.
   */
  private addCodeEntity(tag: OpenTag, offset: number, length: number) {
    const last = this.entities.at(-1);
    const sameSpan = last?.offset === offset && last.length === length;
    if (tag.tag === 'pre') {
      const language = sameSpan && last.type === 'code' ? this.codeLanguages.get(last) : undefined;
      if (language) this.entities[this.entities.length - 1] = { type: 'pre', offset, length, language };
      else this.entities.push({ type: 'pre', offset, length });
      return;
    }
    const language = languageOf(tag.attributes['class']);
    if (sameSpan && last.type === 'pre' && language) {
      last.language = language;
      return;
    }
    const code: MessageEntity = { type: 'code', offset, length };
    if (language) this.codeLanguages.set(code, language);
    this.entities.push(code);
  }
}

const languageOf = (cls: string | undefined) =>
  cls?.startsWith('language-') && cls.length > 'language-'.length ? cls.slice('language-'.length) : undefined;

function decodeHtmlEntity(
  bytes: Buffer,
  pos: number,
  at: (p: number) => number,
): { code: number; next: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (at(end) === HASH) {
    end++;
    const hex = at(end) === ch('x');
    if (hex) end++;
    while (hex ? isHexDigit(at(end)) : isDigit(at(end))) {
      code = code * (hex ? 16 : 10) + hexValue(at(end++));
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (isAlpha(at(end))) end++;
    const named = NAMED_ENTITIES[bytes.subarray(pos + 1, end).toString('latin1')];
    if (named === undefined) return undefined;
    code = named;
  }
  return { code, next: at(end) === SEMI ? end + 1 : end };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Parses Telegram HTML; throws HtmlParseError with TDLib's message. */
export function parseTelegramHtml(html: string, options: { strictEntities?: boolean } = {}): ParsedText {
  return new HtmlParser(html, options.strictEntities ?? true).parse();
}
