/**
 * Newspaper-style documents: discussion summaries (a headline, a speaker
 * label, the speaker's paragraphs, a reporter byline) and news features
 * (numbered themes, headlines, bylines, sub-headlines). One reading covers
 * both: a speaker label or a headline opens a section, a byline closes it
 * (or, right after a headline, belongs to the section it opens).
 */
import type { Block } from './parse-blocks.js';
import { newSection, type Section } from './document.js';
import { parseSpeakerLabel } from './parse-speaker.js';

export function sectionsFromArticles(blocks: Block[]): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  let pendingHeadings: string[] = [];
  let subHeading: string | null = null;

  const open = (speakerLabel: ReturnType<typeof parseSpeakerLabel>): Section => {
    const section = newSection(pendingHeadings.length > 0 ? pendingHeadings.join(' · ') : null, speakerLabel?.speaker);
    sections.push(section);
    pendingHeadings = [];
    subHeading = null;
    return section;
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        // A numbered theme always starts something new; other headings wait to see what follows.
        if (/^\d/.test(block.text)) current = null;
        pendingHeadings.push(block.text);
        break;
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
          current = open(label);
          current.paragraphs.push({ text: label.rest, heading: null });
          break;
        }
        if (!current) current = open(null);
        else if (pendingHeadings.length > 0) {
          subHeading = pendingHeadings.join(' · ');
          pendingHeadings = [];
        }
        current.paragraphs.push({ text: block.text, heading: subHeading });
        break;
      }
    }
  }
  return sections;
}
