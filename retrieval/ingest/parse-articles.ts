/**
 * Newspaper and web documents read as a sequence of turns: discussion
 * summaries (a headline, a speaker label or a role-name line, the speaker's
 * paragraphs, a reporter byline), speeches (title, the speaker's name line,
 * a salutation), transcripts (labels inline or alone on their line, questions
 * belonging to the asker) and news features (numbered themes, headlines,
 * bylines, sub-headlines, people reported in the third person). A speaker
 * line or a headline opens a section, a byline closes it (or, right after a
 * headline, belongs to the section it opens).
 */
import type { Block } from './parse-blocks.js';
import { newSection, type Section, type Speaker } from './document.js';
import { answererNamedIn } from './parse-answerer.js';
import { parseNameLine, parseReportedSpeaker, parseSpeakerLabel } from './parse-speaker.js';

/** A host's turn is a question when it asks something; otherwise the host opens, hands over or closes. */
const ASKS = /[？?]/;
/**
 * News of a meeting, visit or speech reports what officials said there (`市委书记某某表示，…`); in a
 * feature story the people quoted are the reporter's sources and the text stays the reporter's. The
 * article's headline and lead paragraph tell which it is.
 */
const REPORTS_SPEECHES = /会议|会上|召开|举行|讲话|座谈|调研|考察|视察|主持|出席|发言|致辞|论坛|发布会/;

export function sectionsFromArticles(blocks: Block[]): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  let pendingHeadings: string[] = [];
  let subHeading: string | null = null;
  /** Sections opened by a label: turns of a transcript, never news text with people reported in it. */
  const turns = new Set<Section>();
  const hostTurns: Section[] = [];
  /** The text before the first label: where a written Q&A names who gives its unnamed answers. */
  const introduction: string[] = [];
  let answerer: Speaker | null | undefined;
  /** The next unlabelled paragraph is the lead of the article a section opens. */
  let leadPending = false;
  let reportsSpeeches = false;
  const unnamedAnswerer = (): Speaker | null => {
    answerer ??= answererNamedIn(introduction.join('\n'));
    return answerer && { ...answerer };
  };

  const open = (speaker: Speaker | null, turn: Section['turn'] = null): Section => {
    const section = newSection(pendingHeadings.length > 0 ? pendingHeadings.join(' · ') : null, speaker, turn);
    sections.push(section);
    pendingHeadings = [];
    subHeading = null;
    leadPending = true;
    return section;
  };
  /** A section with the same title as `from`: news text goes on after a reported statement. */
  const continueAfter = (from: Section, speaker: Speaker | null): Section => {
    const section = newSection(from.title, speaker);
    sections.push(section);
    return section;
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'heading': {
        const named = parseNameLine(block.text);
        if (named) {
          current = open(named);
          break;
        }
        // A numbered theme always starts something new; other headings wait to see what follows.
        if (/^\d/.test(block.text)) current = null;
        pendingHeadings.push(block.text);
        break;
      }
      case 'byline':
        if (current && current.paragraphs.length > 0 && pendingHeadings.length === 0) {
          current.reporter = block.reporter;
          current = null;
        } else {
          current = open(null);
          current.reporter = block.reporter;
        }
        break;
      case 'salutation':
        break;
      case 'paragraph': {
        const label = parseSpeakerLabel(block.text);
        if (label) {
          const speaker = label.turn === 'answer' ? unnamedAnswerer() : label.speaker;
          current = open(speaker, label.turn === 'question' ? 'question' : null);
          turns.add(current);
          if (label.turn === 'host') hostTurns.push(current);
          if (label.rest !== '') current.paragraphs.push({ text: label.rest, heading: null });
          break;
        }
        if (turns.size === 0) introduction.push(block.text);
        if (!current) current = open(null);
        else if (pendingHeadings.length > 0) {
          subHeading = pendingHeadings.join(' · ');
          pendingHeadings = [];
        }
        if (leadPending) reportsSpeeches = REPORTS_SPEECHES.test(`${current.title ?? ''}${block.text}`);
        leadPending = false;
        // In unsigned news of a meeting or visit, a paragraph that reports someone (`赵某某表示，…`) is theirs, marked as reported.
        const unsigned = reportsSpeeches && !turns.has(current) && (current.speaker === null || current.speaker.attribution === 'reported');
        const reported = unsigned ? parseReportedSpeaker(block.text) : null;
        if (reported) current = continueAfter(current, reported);
        else if (current.speaker?.attribution === 'reported') current = continueAfter(current, null);
        current.paragraphs.push({ text: block.text, heading: subHeading });
        break;
      }
    }
  }
  for (const section of hostTurns) section.turn = section.paragraphs.some((paragraph) => ASKS.test(paragraph.text)) ? 'question' : null;
  return sections.filter((section) => section.paragraphs.length > 0);
}
