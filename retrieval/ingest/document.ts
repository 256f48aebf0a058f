/** The parsed shape of a corpus file: what every later stage (store, embed, search) works on. */
import { comparableText } from '../text.js';
/**
 * How an attribution was made; shown to readers so they can weigh it: a label in the text, a name line
 * (byline), a press conference's header list, a report (`某某表示，`), the continuation of a report (numbered
 * points, a quotation), the title, the lead (`…全文如下：`), a `.meta.json` file.
 */
export const ATTRIBUTIONS = ['label', 'byline', 'header-list', 'reported', 'continuation', 'title', 'lead', 'meta'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export interface Speaker {
  name: string;
  role: string | null;
  attribution: Attribution;
}

export type Layout = 'articles' | 'press-conference' | 'compilation';

export interface Paragraph {
  /** Verbatim corpus text (page breaks joined, nothing else changed). */
  text: string;
  /** The sub-heading the paragraph stands under, if any. */
  heading: string | null;
}

export interface Section {
  title: string | null;
  speaker: Speaker | null;
  /** 'question' when the section is a question put by a reporter or host (its speaker is the asker). */
  turn: 'question' | null;
  reporter: string | null;
  paragraphs: Paragraph[];
}

export interface ParsedDocument {
  file: string;
  title: string;
  date: string | null;
  source: string | null;
  layout: Layout;
  sections: Section[];
  /** What the parser noticed but could not read (signs of speakers without attribution, unread dates…). */
  warnings: string[];
}

export function newSection(title: string | null, speaker: Speaker | null = null, turn: Section['turn'] = null): Section {
  return { title, speaker, turn, reporter: null, paragraphs: [] };
}

/**
 * Drops paragraphs printed twice in one document (newspaper pages repeat
 * passages; a page cut can leave a truncated copy), keeping the first.
 */
export function dropRepeatedParagraphs(sections: Section[]): Section[] {
  const seen: string[] = [];
  return sections
    .map((section) => ({
      ...section,
      paragraphs: section.paragraphs.filter((paragraph) => {
        const key = comparableText(paragraph.text);
        if (key.length === 0) return false;
        if (seen.some((earlier) => earlier.startsWith(key))) return false;
        seen.push(key);
        return true;
      }),
    }))
    .filter((section) => section.paragraphs.length > 0);
}

/**
 * Sets apart, unsigned, the paragraphs of a speaker's section that `isNote` says are notes (`（…纪录稿）`,
 * `〖时间：…〗`): an editor or recorder wrote them, not the speaker.
 */
export function setNotesApart(sections: Section[], isNote: (paragraph: Paragraph) => boolean): Section[] {
  return sections.flatMap((section) => {
    if (section.speaker === null || !section.paragraphs.some(isNote)) return [section];
    const parts: Section[] = [];
    for (const paragraph of section.paragraphs) {
      const note = isNote(paragraph);
      const last = parts.at(-1);
      if (last && (last.speaker === null) === note) last.paragraphs.push(paragraph);
      else parts.push({ ...section, speaker: note ? null : section.speaker, turn: note ? null : section.turn, paragraphs: [paragraph] });
    }
    return parts;
  });
}
