/**
 * Web compilations of speeches: a numbered table of contents, then the
 * speeches' bodies without their titles (possibly fewer bodies than titles,
 * when the page is truncated). Bodies are cut at double blank lines and at
 * paragraphs that open a meeting ("今天……召开"), then aligned to titles by
 * order and content.
 */
import type { Block } from './parse-blocks.js';
import { newSection, type Section } from './document.js';

const TOC_ENTRY = /^(\d{1,3})[。.．、]\s*(.+)$/;
const MIN_TOC_ENTRIES = 5;
/** A paragraph that opens a meeting speech: its first sentence says the meeting is held today. */
const MEETING_OPENING = /^[^。!?！？]{0,60}今天[^。!?！？]{0,30}(?:召开|举行|在这里)/;

export interface TableOfContents {
  titles: string[];
  /** Index of the first block after the table of contents. */
  end: number;
}

export function findTableOfContents(blocks: readonly Block[]): TableOfContents | null {
  for (let start = 0; start < blocks.length; start++) {
    const titles: string[] = [];
    let i = start;
    for (; i < blocks.length; i++) {
      const block = blocks[i]!;
      const match = block.kind === 'byline' ? null : TOC_ENTRY.exec(block.text);
      if (!match || Number(match[1]) !== titles.length + 1) break;
      titles.push(match[2]!.trim());
    }
    if (titles.length >= MIN_TOC_ENTRIES) return { titles, end: i };
  }
  return null;
}

interface Segment {
  blocks: Block[];
  /** True when the segment must start a new speech (double blank line); false when it may continue the previous one. */
  hardStart: boolean;
}

function segmentBodies(blocks: Block[]): Segment[] {
  const segments: Segment[] = [];
  for (const [i, block] of blocks.entries()) {
    const previous = blocks[i - 1];
    const hardStart = i === 0 || block.line.blanksBefore >= 2;
    const softStart =
      block.kind === 'paragraph' && previous?.kind === 'paragraph' && MEETING_OPENING.test(block.text);
    if (hardStart || softStart || segments.length === 0) segments.push({ blocks: [block], hardStart });
    else segments.at(-1)!.blocks.push(block);
  }
  return segments;
}

/** Character bigrams of a title that say something (not "会议上的讲话"). */
const GENERIC_BIGRAMS = new Set(['会议', '议上', '上的', '的讲', '讲话', '在全', '工作', '致辞', '发言', '的发', '的致', '全市', '全省', '大会']);

function bigrams(text: string): string[] {
  const chars = [...text.replace(/[^\u4e00-\u9fa5A-Za-z0-9]/g, '')];
  return chars.slice(1).map((ch, i) => chars[i]! + ch);
}

/** Share of a title's meaningful bigrams that occur in the body. */
function titleMatch(title: string, body: string): number {
  const grams = [...new Set(bigrams(title))].filter((g) => !GENERIC_BIGRAMS.has(g));
  if (grams.length === 0) return 0;
  return grams.filter((g) => body.includes(g)).length / grams.length;
}

const SKIP_PENALTY = 0.15;

/**
 * Monotone alignment of segments to titles maximising title/body overlap:
 * each segment either starts the next speech (possibly skipping titles, at a
 * cost) or, when it has no hard start, continues the current one.
 */
function alignSegments(segments: Segment[], titles: string[]): number[] {
  const text = segments.map((s) => s.blocks.map((b) => (b.kind === 'byline' ? b.reporter : b.text)).join(''));
  const n = segments.length;
  const m = titles.length;
  // best[i][j]: best score with segment i assigned to title j; from[i][j]: title of segment i-1.
  const best = Array.from({ length: n }, () => new Array<number>(m).fill(-Infinity));
  const from = Array.from({ length: n }, () => new Array<number>(m).fill(-1));
  for (let j = 0; j < m; j++) best[0]![j] = titleMatch(titles[j]!, text[0]!) - j * SKIP_PENALTY;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const gain = titleMatch(titles[j]!, text[i]!);
      for (let k = 0; k <= j; k++) {
        if (k === j && segments[i]!.hardStart) continue;
        const cost = k === j ? 0 : (j - k - 1) * SKIP_PENALTY;
        const score = best[i - 1]![k]! + (k === j ? 0 : gain) - cost;
        if (score > best[i]![j]!) {
          best[i]![j] = score;
          from[i]![j] = k;
        }
      }
    }
  }
  const assignment = new Array<number>(n);
  let j = best[n - 1]!.indexOf(Math.max(...best[n - 1]!));
  for (let i = n - 1; i >= 0; i--) {
    assignment[i] = j;
    j = from[i]![j]!;
  }
  return assignment;
}

export function sectionsFromCompilation(blocks: Block[], toc: TableOfContents): Section[] {
  const segments = segmentBodies(blocks.slice(toc.end));
  if (segments.length === 0) return [];
  const assignment = alignSegments(segments, toc.titles);
  const sections: Section[] = [];
  let subHeading: string | null = null;
  segments.forEach((segment, i) => {
    const title = toc.titles[assignment[i]!]!;
    let section = sections.at(-1);
    if (!section || section.title !== title || assignment[i] !== assignment[i - 1]) {
      section = newSection(title);
      sections.push(section);
      subHeading = null;
    }
    for (const block of segment.blocks) {
      if (block.kind === 'heading') subHeading = block.text;
      else if (block.kind === 'paragraph') section.paragraphs.push({ text: block.text, heading: subHeading ?? block.subhead ?? null });
    }
  });
  return sections;
}
