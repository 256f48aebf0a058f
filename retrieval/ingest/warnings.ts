/**
 * Warnings that mean something: a document that shows signs of several
 * speakers but got none, or a section too long to be one turn, is most
 * likely laid out in a way the parser does not read.
 */
import type { Block } from './parse-blocks.js';
import type { Section } from './document.js';

/** Lines that look like a turn or a speaker line: `某某：` alone, `职务  姓名`, salutations. */
const SPEAKER_SIGN = /^[^,。!?:]{2,20}:$|^[^\s,。:]{2,30}\s{2,}[\u3400-\u9fff]{2,4}$/;
/** More paragraphs than this in one section is unusual for a turn or an article. */
const LONG_SECTION_PARAGRAPHS = 80;

export function speakerWarnings(blocks: Block[], sections: Section[]): string[] {
  const warnings: string[] = [];
  const signs = blocks.filter((block) => block.kind === 'salutation' || (block.kind !== 'byline' && SPEAKER_SIGN.test(block.norm))).length;
  const attributed = sections.filter((section) => section.speaker !== null).length;
  if (signs >= 2 && attributed === 0) {
    warnings.push(`${signs} lines look like speaker labels or salutations, but no speaker was recognised; check the layout or give speakers in a .meta.json file`);
  }
  sections.forEach((section, i) => {
    if (section.paragraphs.length > LONG_SECTION_PARAGRAPHS) {
      warnings.push(`section ${i + 1} has ${section.paragraphs.length} paragraphs: several speeches or turns may have been read as one`);
    }
  });
  return warnings;
}
