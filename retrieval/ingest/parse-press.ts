/**
 * Press-conference write-ups: an introduction, a header block (topic, time,
 * host, the list of 发布人 with their roles), then one themed section per
 * 发布人. Theme headings are followed by a separator line; other headings
 * inside a theme are sub-headings.
 */
import type { Block } from './parse-blocks.js';
import { newSection, type Section, type Speaker } from './document.js';
import type { DocumentContext } from './document-context.js';
import { sectionsFromArticles } from './parse-articles.js';
import { parseSpeakerLabel } from './parse-speaker.js';

/** The marker of a press conference's header list (in the shadow). */
export const PRESS_MARKER = /^发布人:?$/;
const HEADER_LABEL = /^(?:发布主题|发布时间及地点|发布时间:|发布地点:|参加人员|主持人:?|发布人:?|出席人员)/;
/** Header fields and participant lines are phrases; a sentence (`8月29日上午，…并回答记者提问。`) is text again. */
const SENTENCE_END = /[。!?]$/;
/** `某某某 市委办公室副主任`: a name, a space, a role. */
const PARTICIPANT = /^([\u3400-\u9fff]{2,4})\s+(\S.{1,40})$/;

export interface PressHeader {
  host: Speaker | null;
  speakers: Speaker[];
}

function readParticipant(block: Block): Speaker | null {
  const field = /^(?:主持人|发布人):?\s*/.exec(block.norm)?.[0].length ?? 0;
  const match = PARTICIPANT.exec(block.norm.slice(field));
  if (!match) return null;
  const text = block.text.slice(field);
  return { name: text.slice(0, match[1]!.length), role: text.slice(match[0].length - match[2]!.length).trim(), attribution: 'header-list' };
}

export function sectionsFromPressConference(blocks: Block[], context: DocumentContext): { sections: Section[]; header: PressHeader } {
  const header: PressHeader = { host: null, speakers: [] };
  const intro = newSection(null);
  const themes: Section[] = [];
  let inHeader = false;
  let listing: 'host' | 'speakers' | null = null;
  let subHeading: string | null = null;

  let turns: Section[] = [];
  for (const [index, block] of blocks.entries()) {
    const text = block.kind === 'byline' ? block.reporter : block.text;
    const norm = block.norm;
    // Labelled turns (`记者：…`, `某某某：…`) end the header: from here on the text is a transcript.
    if (block.kind === 'paragraph' && !HEADER_LABEL.test(norm) && parseSpeakerLabel(block)) {
      turns = sectionsFromArticles(blocks.slice(index), context).sections;
      break;
    }
    const isTheme = block.kind === 'heading' && (blocks[index + 1]?.line.separatorBefore ?? false);
    if (inHeader && block.kind === 'paragraph' && SENTENCE_END.test(norm) && !HEADER_LABEL.test(norm)) inHeader = false;
    if (!isTheme && (HEADER_LABEL.test(norm) || (inHeader && themes.length === 0))) {
      inHeader = true;
      if (/^主持人/.test(norm)) listing = 'host';
      else if (/^发布人/.test(norm)) listing = 'speakers';
      const participant = listing ? readParticipant(block) : null;
      if (participant && listing === 'host') header.host = participant;
      if (participant && listing === 'speakers') header.speakers.push(participant);
      continue;
    }
    if (isTheme) {
      themes.push(newSection(text));
      subHeading = null;
      continue;
    }
    const current = themes.at(-1) ?? intro;
    if (block.kind === 'heading') subHeading = text;
    else if (block.kind === 'paragraph') current.paragraphs.push({ text, heading: subHeading ?? block.subhead ?? null });
  }

  // The header lists the 发布人 in the order they spoke: when there is one theme each, pair them up.
  if (themes.length > 0 && themes.length === header.speakers.length) {
    themes.forEach((theme, i) => (theme.speaker = header.speakers[i]!));
  }
  // A turn labelled with a name alone is the person the header lists: their role comes from the list.
  const listed = [header.host, ...header.speakers].filter((speaker): speaker is Speaker => speaker !== null);
  for (const turn of turns) {
    const entry = turn.speaker && listed.find((speaker) => speaker.name === turn.speaker!.name);
    if (entry && turn.speaker!.role === null) turn.speaker = { ...entry };
  }
  return { sections: [intro, ...themes, ...turns].filter((s) => s.paragraphs.length > 0), header };
}
