/**
 * Second parsing step: lines → blocks. Decides which lines are headings,
 * reporter bylines, salutations or text, and joins paragraphs that a page
 * break split mid-sentence (skipping pull-quote headings printed inside them).
 */
import type { Line } from './parse-lines.js';

export type Block =
  | { kind: 'heading'; text: string; line: Line; numbered: boolean }
  | { kind: 'byline'; reporter: string; line: Line }
  | { kind: 'salutation'; text: string; line: Line }
  | { kind: 'paragraph'; text: string; line: Line };

/** `全媒体记者 白萍`, `□本报记者 牛步云 黄亚楠`, `记者 贺 瑛`: the names are the reporter, never a speaker. */
const BYLINE = /^[□■◇◆]?(?:全媒体记者|本报记者|融媒体记者|特约记者|见习记者|记者|通讯员)[\s\u3000]*((?:[\u4e00-\u9fa5·]{1,4}[\s\u3000]*){1,4})$/;

/** Openings of a speech that carry no content: `同志们:`, `各位嘉宾、各位朋友:`, `大家上午好`. */
const SALUTATION =
  /^(?:(?:尊敬的|各位|亲爱的)[^。!?！？]{0,40}|同志们|朋友们|同志们[、,，]朋友们|大家(?:上午|下午|晚上)?好|谢谢(?:大家)?)[:：,，!！。]?$/;

/**
 * A paragraph ends with sentence-final punctuation, a colon or a dash that leads into what follows.
 * Texts typed with half-width punctuation end sentences with `.`; after a letter or digit it is an
 * abbreviation or a list number instead.
 */
const TERMINATED = /(?:[。!?！？;；:：…]|(?<![A-Za-z\d])\.|——|[。!?！？….][”’」』"])$/;

/** Numbered heading: `6.乡村振兴战略`, `一、充分认识重大意义`, `(一)…`. */
const NUMBERED_HEADING = /^(?:\d{1,2}[.．、]|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])\S/;

/** Enumerations that open a paragraph (`二是…`, `首先,…`): a short unfinished line holding one is a split paragraph, not a heading. */
const ENUMERATION = /(?:^|[,，;；。])[“"]?(?:[一二三四五六七八九十]+(?:是|要)|首先|其次|再次|第[一二三四五六七八九十]+[,，、])/;

const MAX_HEADING_LENGTH = 50;

export function isTerminated(text: string): boolean {
  return TERMINATED.test(text);
}

function bylineReporter(text: string): string | null {
  const match = BYLINE.exec(text);
  return match ? match[1]!.trim().replace(/[\s\u3000]+/g, ' ') : null;
}

/** A heading is short, unfinished and holds no full sentence. */
function isHeadingLike(text: string): boolean {
  if (text.length > MAX_HEADING_LENGTH || isTerminated(text)) return false;
  if (/[。!?！？]/.test(text.replace(/^\d{1,2}。/, ''))) return false;
  return !ENUMERATION.test(text);
}

function classify(line: Line, options: BlockOptions): Block {
  const reporter = bylineReporter(line.text);
  if (reporter) return { kind: 'byline', reporter, line };
  if (options.startsParagraph?.(line.text)) return { kind: 'paragraph', text: line.text, line };
  if (SALUTATION.test(line.text) && line.text.length <= 40) return { kind: 'salutation', text: line.text, line };
  if (isHeadingLike(line.text)) return { kind: 'heading', text: line.text, line, numbered: NUMBERED_HEADING.test(line.text) };
  return { kind: 'paragraph', text: line.text, line };
}

export interface BlockOptions {
  /** Lines that must start a new paragraph even when the previous one is unfinished (e.g. a speaker label). */
  startsParagraph?: (text: string) => boolean;
  /** Lines kept as they are, never joined into a paragraph nor dropped as a pull quote (e.g. a speaker's name line). */
  keepsLine?: (text: string) => boolean;
}

/**
 * Joins page-broken paragraphs: an unfinished paragraph continues on the next
 * text line; a heading-like line in between is a pull quote and is dropped.
 * Never joins across two or more blank lines (a document boundary in compilations).
 */
export function toBlocks(lines: Line[], options: BlockOptions = {}): Block[] {
  const blocks: Block[] = [];
  const classified = lines.map((line) => classify(line, options));
  for (let i = 0; i < classified.length; i++) {
    const block = classified[i]!;
    const open = blocks.at(-1);
    if (open?.kind === 'paragraph' && !isTerminated(open.text) && block.line.blanksBefore < 2) {
      const startsNew = (options.startsParagraph?.(block.line.text) || options.keepsLine?.(block.line.text)) ?? false;
      if (!startsNew && block.kind === 'paragraph') {
        open.text += block.text;
        continue;
      }
      const next = classified[i + 1];
      const isPullQuote =
        block.kind === 'heading' && !block.numbered && !(options.keepsLine?.(block.text) ?? false) &&
        next?.kind === 'paragraph' && next.line.blanksBefore < 2 &&
        !(options.startsParagraph?.(next.line.text) ?? false);
      if (isPullQuote) continue;
    }
    blocks.push({ ...block });
  }
  return blocks;
}
