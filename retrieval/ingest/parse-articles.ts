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
import { parseNameLine, parseReportedSpeaker, parseSpeakerLabel } from './parse-speaker.js';

export function sectionsFromArticles(blocks: Block[]): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  let pendingHeadings: string[] = [];
  let subHeading: string | null = null;

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
          current = open(label.speaker, label.asks ? 'question' : null);
          if (label.rest !== '') current.paragraphs.push({ text: label.rest, heading: null });
          break;
        }
        if (!current) current = open(null);
        else if (pendingHeadings.length > 0) {
          subHeading = pendingHeadings.join(' · ');
          pendingHeadings = [];
        }
        // In unsigned news text, a paragraph that reports someone (`赵某某表示，…`) is theirs, marked as reported.
        const reported = current.speaker === null || current.speaker.attribution === 'reported' ? parseReportedSpeaker(block.text) : null;
        if (reported) current = continueAfter(current, reported);
        else if (current.speaker?.attribution === 'reported') current = continueAfter(current, null);
        current.paragraphs.push({ text: block.text, heading: subHeading });
        break;
      }
    }
  }
  return sections.filter((section) => section.paragraphs.length > 0);
}
