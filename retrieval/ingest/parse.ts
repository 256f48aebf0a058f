/**
 * Parsing, the first stage of the pipeline (ingest → index → search): the
 * text of one corpus file → a document of sections and verbatim paragraphs.
 * Pure: no file access here (see corpus.ts for reading files).
 */
import { isTerminated, toBlocks, type Block } from './parse-blocks.js';
import { splitLines, type Line } from './parse-lines.js';
import { sectionsFromArticles } from './parse-articles.js';
import { findTableOfContents, sectionsFromCompilation } from './parse-compilation.js';
import { looksLikeUnreadDate, readMetadataLine } from './parse-metadata.js';
import { sectionsFromPressConference } from './parse-press.js';
import { parseNameLine, parseSpeakerLabel, roleMentionedFor } from './parse-speaker.js';
import { dropRepeatedParagraphs, type Layout, type ParsedDocument, type Section } from './document.js';
import { speakerWarnings } from './warnings.js';

const PRESS_MARKER = /^发布人[:：]?$/;
/** A leading `[关键词]` tag, as some websites put before titles. */
const TITLE_TAG = /^[[【][^\]】]{1,40}[\]】](?=\S)/;
/** `——在全市工作会议上的讲话`: a speech's subtitle, part of its title. */
const SUBTITLE = /^(?:——|--|—)\S/;

interface Metadata {
  date: string | null;
  source: string | null;
  /** Short lines holding a date in a form the parser does not read. */
  unreadDates: number[];
}

/** Takes the metadata lines out of the text: they fill the document's date and source, never passages. */
function takeMetadata(lines: Line[]): { metadata: Metadata; rest: Line[] } {
  const metadata: Metadata = { date: null, source: null, unreadDates: [] };
  const rest = lines.filter((line) => {
    const fields = readMetadataLine(line.text);
    if (!fields) {
      if (looksLikeUnreadDate(line.text)) metadata.unreadDates.push(line.number);
      return true;
    }
    metadata.date ??= fields.date;
    metadata.source ??= fields.source;
    return false;
  });
  return { metadata, rest };
}

function fileStem(file: string): string {
  return file.replace(/\.[^.]+$/, '');
}

/**
 * The first heading is the title. A first line like `刘某：收集废旧药盒问诊` is a news headline
 * (unfinished, followed by text), never a speaker's turn.
 */
function titleOf(blocks: Block[], file: string): { title: string; rest: Block[] } {
  const first = blocks[0];
  const isHeadline =
    first !== undefined && first.kind !== 'byline' && blocks.length > 1 &&
    (first.kind === 'heading' ? !first.numbered && !parseNameLine(first.text) : first.kind === 'paragraph' && !isTerminated(first.text) && first.text.length <= 80);
  if (!isHeadline) return { title: fileStem(file), rest: blocks };
  const title = first.text.replace(TITLE_TAG, '');
  const second = blocks[1];
  if (second?.kind === 'heading' && SUBTITLE.test(second.text)) return { title: `${title}${second.text}`, rest: blocks.slice(2) };
  return { title, rest: blocks.slice(1) };
}

/** Labels that carry only a name get the role the document gives that person elsewhere. */
function completeRoles(sections: Section[], text: string): void {
  for (const section of sections) {
    const speaker = section.speaker;
    if (speaker && speaker.role === null && section.turn === null) speaker.role = roleMentionedFor(speaker.name, text);
  }
}

export function parseDocument(file: string, text: string): ParsedDocument {
  const { metadata, rest: lines } = takeMetadata(splitLines(text));
  const blocks = toBlocks(lines, {
    startsParagraph: (line) => parseSpeakerLabel(line) !== null,
    keepsLine: (line) => parseNameLine(line) !== null,
  });
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
  sections = dropRepeatedParagraphs(sections);
  completeRoles(sections, text);
  const warnings = [
    ...speakerWarnings(blocks, sections),
    ...metadata.unreadDates.map((line) => `line ${line} looks like a date the parser cannot read; give "date" in a .meta.json file`),
  ];
  return { file, title, date: metadata.date, source: metadata.source, layout, sections, warnings };
}
