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
  const unnamedAnswerer = (): Speaker | null => {
    answerer ??= answererNamedIn(introduction.join('\n'));
    return answerer && { ...answerer };
  };

  const open = (speaker: Speaker | null, turn: Section['turn'] = null): Section => {
    const section = newSection(pendingHeadings.length > 0 ? pendingHeadings.join(' · ') : null, speaker, turn);
    sections.push(section);
    pendingHeadings = [];
    subHeading = null;
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
        // In unsigned news text, a paragraph that reports someone (`赵某某表示，…`) is theirs, marked as reported.
        const unsigned = !turns.has(current) && (current.speaker === null || current.speaker.attribution === 'reported');
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
