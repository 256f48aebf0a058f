/**
 * Parsing, step one of the pipeline (parse → store → embed → index → search):
 * the text of one corpus file → a document of sections and verbatim paragraphs.
 * Pure: no file access here (see corpus.ts for reading files).
 */
import { toBlocks, type Block } from './parse-blocks.js';
import { splitLines, type Line } from './parse-lines.js';
import { sectionsFromArticles } from './parse-articles.js';
import { findTableOfContents, sectionsFromCompilation } from './parse-compilation.js';
import { sectionsFromPressConference } from './parse-press.js';
import { parseSpeakerLabel } from './parse-speaker.js';
import { dropRepeatedParagraphs, type Layout, type ParsedDocument, type Section } from './document.js';

/** `信息来源:鄂州政府网 日期:2021-08-02` */
const SOURCE_LINE = /^(?:信息)?来源[::]\s*(\S+?)(?:[\s\u3000]+(?:发布)?日期[::]\s*(\d{4}-\d{1,2}-\d{1,2}))?$/;
const PRESS_MARKER = /^发布人[::]?$/;
/** A leading `[关键词]` tag, as some websites put before titles. */
const TITLE_TAG = /^\[[^\]]{1,40}\](?=\S)/;

function readSourceLine(lines: Line[]): { source: string | null; date: string | null; rest: Line[] } {
  const index = lines.findIndex((line) => SOURCE_LINE.test(line.text));
  if (index < 0 || index > 5) return { source: null, date: null, rest: lines };
  const [, source, date] = SOURCE_LINE.exec(lines[index]!.text)!;
  return { source: source ?? null, date: date ?? null, rest: lines.filter((_, i) => i !== index) };
}

function fileStem(file: string): string {
  return file.replace(/\.[^.]+$/, '');
}

function titleOf(blocks: Block[], file: string): { title: string; rest: Block[] } {
  const first = blocks[0];
  if (first?.kind === 'heading' && !first.numbered) {
    return { title: first.text.replace(TITLE_TAG, ''), rest: blocks.slice(1) };
  }
  return { title: fileStem(file), rest: blocks };
}

export function parseDocument(file: string, text: string): ParsedDocument {
  const { source, date, rest: lines } = readSourceLine(splitLines(text));
  const blocks = toBlocks(lines, { startsParagraph: (line) => parseSpeakerLabel(line) !== null });
  const { title, rest } = titleOf(blocks, file);

  let layout: Layout = 'articles';
  let sections: Section[];
  const toc = findTableOfContents(rest);
  if (toc) {
    layout = 'compilation';
    sections = sectionsFromCompilation(rest, toc);
  } else if (rest.some((block) => block.kind !== 'byline' && PRESS_MARKER.test(block.text))) {
    layout = 'press-conference';
    sections = sectionsFromPressConference(rest).sections;
  } else {
    sections = sectionsFromArticles(rest);
  }
  return { file, title, date, source, layout, sections: dropRepeatedParagraphs(sections) };
}
