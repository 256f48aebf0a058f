/**
 * Parsing, the first stage of the pipeline (ingest → index → search): the
 * text of one corpus file → a document of sections and verbatim paragraphs.
 * Pure: no file access here (see corpus.ts for reading files).
 *
 * lines (each with its shadow, read once) → blocks (headings, bylines,
 * salutations, paragraphs joined across page breaks) → the document's
 * context (who the title and lead name) → the first layout that detects
 * itself gives the sections → roles completed, repeats dropped.
 */
import { isBracketedNote, toBlocks, type Block } from './parse-blocks.js';
import { splitLines, type Line } from './parse-lines.js';
import { sectionsFromArticles } from './parse-articles.js';
import { findTableOfContents, sectionsFromCompilation } from './parse-compilation.js';
import { looksLikeUnreadDate, openingDate, readMetadataLine } from './parse-metadata.js';
import { PRESS_MARKER, sectionsFromPressConference } from './parse-press.js';
import { isShortUnfinished, parseNameLine, parseSpeakerLabel } from './parse-speaker.js';
import { roleMentionedFor } from './person-phrase.js';
import { shadowed } from './shadow.js';
import { DocumentContext } from './document-context.js';
import { attributeDiscourse } from './discourse.js';
import { dropRepeatedParagraphs, setNotesApart, type Layout, type ParsedDocument, type Section } from './document.js';
import { speakerWarnings, textWarnings } from './warnings.js';
import { shadowOf } from './shadow.js';

/** A leading `[关键词]` tag, as some websites put before titles. */
const TITLE_TAG = /^[[【][^\]】]{1,40}[\]】](?=\S)/;
/** `——在全市工作会议上的讲话`: a speech's subtitle, part of its title. */
const SUBTITLE = /^(?:——|--|—)\S/;
/** A title that reads like a label (`一位家长：作业到底该怎么留？`) is short and asks or exclaims. */
const HEADLINE_LENGTH = 40;

interface Metadata {
  date: string | null;
  source: string | null;
  /** Short lines holding a date in a form the parser does not read. */
  unreadDates: number[];
  /** The line number of the first metadata line that gave the date. */
  dateLine: number | null;
}

/** Takes the metadata lines out of the text: they fill the document's date and source, never passages. */
function takeMetadata(lines: Line[]): { metadata: Metadata; rest: Line[] } {
  const metadata: Metadata = { date: null, source: null, unreadDates: [], dateLine: null };
  const rest = lines.filter((line) => {
    const fields = readMetadataLine(line.norm);
    if (!fields) {
      if (looksLikeUnreadDate(line.norm)) metadata.unreadDates.push(line.number);
      return true;
    }
    if (metadata.date === null && fields.date !== null) metadata.dateLine = line.number;
    metadata.date ??= fields.date;
    metadata.source ??= fields.source;
    return false;
  });
  return { metadata, rest };
}

function fileStem(file: string): string {
  return file.replace(/\.[^.]+$/, '');
}

/** A first line shaped like a label whose words are a headline (`刘某：收集废旧药盒问诊`, `一位家长：作业该怎么留？`). */
function isLabelShapedHeadline(first: Block, second: Block | undefined): boolean {
  const label = parseSpeakerLabel(first);
  if (!label || label.rest === '' || label.turn === 'question' || label.turn === 'answer') return false;
  const nextIsTurn = second !== undefined && second.kind === 'paragraph' && parseSpeakerLabel(second) !== null;
  return first.norm.length <= HEADLINE_LENGTH && !nextIsTurn && (isShortUnfinished(shadowOf(label.rest)) || /[?!]$/.test(first.norm));
}

/** How many short lines of page furniture (`新聞與活動`, `簡體版 寄給朋友`) may stand above a title. */
const FURNITURE_LINES = 3;
/** Page furniture is short: a link, a breadcrumb, a section name. */
const FURNITURE_LENGTH = 12;

/**
 * Where the title is when a web page's furniture stands above it: a heading underlined by a rule
 * (`行政長官答問內容` over `*****`), or the first heading after the date line when only short headings
 * (`新聞與活動`, `總統府新聞`) come before the date. Else the first block (0).
 */
function titleIndex(blocks: readonly Block[], dateLine: number | null): number {
  let short = true;
  for (let index = 1; index <= FURNITURE_LINES && index < blocks.length - 1; index++) {
    const above = blocks[index - 1]!;
    const block = blocks[index]!;
    if (above.kind !== 'heading' || block.kind !== 'heading') return 0;
    short &&= above.norm.length <= FURNITURE_LENGTH;
    if (blocks[index + 1]!.line.separatorBefore) return index;
    if (short && dateLine !== null && above.line.number < dateLine && block.line.number > dateLine) return index;
  }
  return 0;
}

/** The first heading is the title. */
function titleOf(allBlocks: Block[], file: string, dateLine: number | null): { title: string; rest: Block[] } {
  const blocks = allBlocks.slice(titleIndex(allBlocks, dateLine));
  const [first, second] = blocks;
  const isHeadline =
    first !== undefined && first.kind !== 'byline' && blocks.length > 1 &&
    (first.kind === 'heading'
      ? !first.numbered && !parseNameLine(first)
      : first.kind === 'paragraph' && ((!parseSpeakerLabel(first) && !/[。!?;:…]$/.test(first.norm) && first.norm.length <= 80) || isLabelShapedHeadline(first, second)));
  if (!isHeadline) return { title: fileStem(file), rest: blocks };
  const title = first.text.replace(TITLE_TAG, '');
  if (second?.kind === 'heading' && SUBTITLE.test(second.norm)) return { title: `${title}${second.text}`, rest: blocks.slice(2) };
  return { title, rest: blocks.slice(1) };
}

/** Labels that carry only a name get the role the document gives that person elsewhere (read once per name). */
function completeRoles(sections: Section[], text: string): void {
  const document = shadowed(text);
  const roles = new Map<string, string | null>();
  for (const section of sections) {
    const speaker = section.speaker;
    if (!speaker || speaker.role !== null || section.turn !== null) continue;
    if (!roles.has(speaker.name)) roles.set(speaker.name, roleMentionedFor(speaker.name, document));
    speaker.role = roles.get(speaker.name)!;
  }
}

/** A way documents are laid out: how to recognise it, and how to read its sections. Tried in order; articles read anything. */
interface LayoutReader {
  layout: Layout;
  detect(blocks: readonly Block[]): boolean;
  sections(blocks: Block[], context: DocumentContext): Section[];
}

const LAYOUTS: readonly LayoutReader[] = [
  {
    layout: 'compilation',
    detect: (blocks) => findTableOfContents(blocks) !== null,
    sections: (blocks) => sectionsFromCompilation(blocks, findTableOfContents(blocks)!),
  },
  {
    layout: 'press-conference',
    detect: (blocks) => blocks.some((block) => block.kind !== 'byline' && PRESS_MARKER.test(block.norm)),
    sections: (blocks, context) => sectionsFromPressConference(blocks, context).sections,
  },
  {
    layout: 'articles',
    detect: () => true,
    sections: (blocks, context) => {
      const { sections, turns } = sectionsFromArticles(blocks, context);
      return attributeDiscourse(sections, turns, context);
    },
  },
];

export function parseDocument(file: string, text: string): ParsedDocument {
  const { metadata, rest: lines } = takeMetadata(splitLines(text));
  const blocks = toBlocks(lines, {
    startsParagraph: (line) => parseSpeakerLabel(line) !== null,
    keepsLine: (line) => parseNameLine(line) !== null,
  });
  const { title, rest } = titleOf(blocks, file, metadata.dateLine);
  const context = DocumentContext.read(title, rest);
  const reader = LAYOUTS.find((candidate) => candidate.detect(rest))!;
  const sections = setNotesApart(dropRepeatedParagraphs(reader.sections(rest, context)), (paragraph) => isBracketedNote(shadowOf(paragraph.text)));
  completeRoles(sections, text);
  const warnings = [
    ...speakerWarnings(blocks, sections),
    ...textWarnings(lines),
    ...metadata.unreadDates.map((line) => `line ${line} looks like a date the parser cannot read; give "date" in a .meta.json file`),
  ];
  // A title that opens with its date (`2021年5月10日外交部发言人某某主持例行记者会`) dates a document that prints no other.
  const date = metadata.date ?? openingDate(shadowOf(title));
  return { file, title, date, source: metadata.source, layout: reader.layout, sections, warnings };
}
