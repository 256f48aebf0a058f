/**
 * Second parsing step: lines → blocks. Decides which lines are headings,
 * reporter bylines, salutations or text, and joins paragraphs that a page
 * break split mid-sentence (skipping pull-quote headings printed inside them).
 */
import { SALUTATION } from './lexicon.js';
import type { Line } from './parse-lines.js';
import { comparableText } from '../text.js';
import { shadowOf } from './shadow.js';

/** Every block carries its verbatim text and its shadow (`norm`, shadow.ts), which the rules read. */
export type Block =
  | { kind: 'heading'; text: string; norm: string; line: Line; numbered: boolean }
  | { kind: 'byline'; reporter: string; text: string; norm: string; line: Line }
  | { kind: 'salutation'; text: string; norm: string; line: Line }
  /** `subhead`: a subhead printed inside the paragraph where a page broke it, kept as the paragraph's heading. */
  | { kind: 'paragraph'; text: string; norm: string; line: Line; subhead?: string };

/**
 * `全媒体记者 白萍`, `□本报记者 牛步云 黄亚楠`, `新华社记者王某某`, `通讯员 贺 瑛`: the names are the
 * reporter, never a speaker.
 */
const BYLINE = /^[□■◇◆]?(?:[\u3400-\u9fff]{0,10}记者|通讯员)\s*((?:[\u3400-\u9fff·]{1,4}\s*){1,4})$/;

/**
 * A paragraph ends with sentence-final punctuation, a colon or a dash that leads into what follows (a
 * note in brackets may follow: `…实践。（讲话全文见第二版）`). Texts typed with half-width punctuation end
 * sentences with `.`; after a letter or digit it is an abbreviation or a list number instead.
 */
const TERMINATED = /(?:[。!?;:…]|(?<![A-Za-z\d])\.|——|[。!?….][”’」』"])(?:\([^()]{1,40}\))?$/;
/** A line that is one note in brackets (`（这是某某在会上的讲话，纪录稿）`, `〖时间：…〗`) is complete as it stands. */
const BRACKETED_NOTE = /^(?:\(.*\)|〖.*〗|【.*】|\[.*\])$/;

/** Numbered heading: `6.乡村振兴战略`, `一、充分认识重大意义`, `(一)…`. */
const NUMBERED_HEADING = /^(?:\d{1,2}[.、]|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))\S/;

/** Enumerations that open a paragraph (`二是…`, `首先,…`): a short unfinished line holding one is a split paragraph, not a heading. */
const ENUMERATION = /(?:^|[,;。])[“"]?(?:[一二三四五六七八九十]+(?:是|要)|首先|其次|再次|第[一二三四五六七八九十]+[,、])/;

const MAX_HEADING_LENGTH = 50;
/** A clause inside a line: a comma or semicolon (a subhead is one phrase). */
const CLAUSE = /[,;]/;
/** Headings with a comma are short: two phrases (`聚焦主责主业,推动高质量发展`). */
const MAX_CLAUSED_HEADING_LENGTH = 16;

/** Whether a paragraph's shadow is one note in brackets: an editor's or a recorder's words, not the speaker's. */
export function isBracketedNote(norm: string): boolean {
  return BRACKETED_NOTE.test(norm);
}

/** Whether a paragraph's shadow (or any text, folded here) ends a sentence. */
export function isTerminated(norm: string): boolean {
  return TERMINATED.test(norm) || TERMINATED.test(shadowOf(norm.slice(-48)));
}

function bylineReporter(line: Line): string | null {
  const match = BYLINE.exec(line.norm);
  return match ? line.text.slice(match.index + match[0].length - match[1]!.length).trim().replace(/[\s\u3000\u00a0]+/g, ' ') : null;
}

/** A heading is short, unfinished and holds no full sentence. */
function isHeadingLike(norm: string, setApart: boolean): boolean {
  if (norm.length > MAX_HEADING_LENGTH || TERMINATED.test(norm)) return false;
  if (/[。!?]/.test(norm.replace(/^\d{1,2}。/, ''))) return false;
  // A line that stops on a comma, or runs past a short phrase with a clause in it, is a sentence broken off
  // (a speech laid out a clause per line), not a heading (`坚持稳中求进,推动高质量发展` is one) — unless the
  // layout sets it apart with a blank line or a rule below it, as themes are.
  if (/[,、;]$/.test(norm) || (CLAUSE.test(norm) && norm.length > MAX_CLAUSED_HEADING_LENGTH && !setApart)) return false;
  return !ENUMERATION.test(norm);
}

function classify(line: Line, next: Line | undefined, options: BlockOptions): Block {
  const { text, norm } = line;
  const reporter = bylineReporter(line);
  if (reporter) return { kind: 'byline', reporter, text, norm, line };
  if (options.startsParagraph?.(line)) return { kind: 'paragraph', text, norm, line };
  if (SALUTATION.test(norm) && norm.length <= 40) return { kind: 'salutation', text, norm, line };
  // A salutation over two lines: `某某总理，` above `各位同事：`.
  if (/^[^。!?:]{2,20},$/.test(norm) && next !== undefined && SALUTATION.test(next.norm)) return { kind: 'salutation', text, norm, line };
  const setApart = next !== undefined && (next.blanksBefore > 0 || next.separatorBefore);
  if (isHeadingLike(norm, setApart)) return { kind: 'heading', text, norm, line, numbered: NUMBERED_HEADING.test(norm) };
  return { kind: 'paragraph', text, norm, line };
}

export interface BlockOptions {
  /** Lines that must start a new paragraph even when the previous one is unfinished (e.g. a speaker label). */
  startsParagraph?: (line: Line) => boolean;
  /** Lines kept as they are, never joined into a paragraph nor dropped as a pull quote (e.g. a speaker's name line). */
  keepsLine?: (line: Line) => boolean;
}

/**
 * Joins page-broken paragraphs: an unfinished paragraph continues on the next text line. A short unfinished
 * line in between is one of three things: a pull quote when the document prints its words elsewhere too
 * (dropped: nothing is lost); the sentence going on when it holds a clause (`…以来,我们召开了…`: a speech laid
 * out a clause per line; joined); else a subhead printed inside the broken paragraph, kept as its heading.
 * Never joins across two or more blank lines (a document boundary in compilations).
 */
export function toBlocks(lines: Line[], options: BlockOptions = {}): Block[] {
  const blocks: Block[] = [];
  const classified = lines.map((line, i) => classify(line, lines[i + 1], options));
  let printed: string | undefined;
  const printedElsewhere = (line: Line): boolean => {
    printed ??= lines.map((each) => comparableText(each.text)).join('\n');
    const words = comparableText(line.text);
    const first = printed.indexOf(words);
    return first >= 0 && printed.indexOf(words, first + 1) >= 0;
  };
  for (let i = 0; i < classified.length; i++) {
    const block = classified[i]!;
    const open = blocks.at(-1);
    if (open?.kind === 'paragraph' && !TERMINATED.test(open.norm) && !BRACKETED_NOTE.test(open.norm) && block.line.blanksBefore < 2) {
      const startsNew = (options.startsParagraph?.(block.line) || options.keepsLine?.(block.line)) ?? false;
      const next = classified[i + 1];
      const inside =
        block.kind === 'heading' && !block.numbered && !(options.keepsLine?.(block.line) ?? false) &&
        next?.kind === 'paragraph' && next.line.blanksBefore < 2 &&
        !(options.startsParagraph?.(next.line) ?? false);
      if (inside && printedElsewhere(block.line)) continue;
      if (inside && !CLAUSE.test(block.norm)) {
        open.subhead = open.subhead ? `${open.subhead} · ${block.text}` : block.text;
        continue;
      }
      // An indented line starts a paragraph: the typesetter says so, even where the line above stops mid-sentence.
      if (!startsNew && !block.line.indented && (block.kind === 'paragraph' || inside)) {
        open.text += block.text;
        open.norm += block.norm;
        continue;
      }
    }
    blocks.push({ ...block });
  }
  return blocks;
}
