/**
 * Warnings that mean something: a document that shows signs of several
 * speakers but got none, or a section too long to be one turn, is most
 * likely laid out in a way the parser does not read; a text a converter
 * marked up cannot be quoted cleanly.
 */
import type { Block } from './parse-blocks.js';
import type { Line } from './parse-lines.js';
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

/**
 * `發(fā)言人`: pages served through a script converter put the pinyin of characters it could not map in brackets
 * after them. The marks are in the file, so quotes show them, and a name or role they split is not read.
 */
const PINYIN_MARK = /[\u3400-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)/;

export function textWarnings(lines: readonly Line[]): string[] {
  const marked = lines.filter((line) => PINYIN_MARK.test(line.text));
  if (marked.length === 0) return [];
  const example = PINYIN_MARK.exec(marked[0]!.text)![0];
  return [`${marked.length} line(s) carry pinyin in brackets after characters (line ${marked[0]!.number}: ${example}), left by a web page's script converter: quotes will show them and speakers next to them may be missed; remove them from the file`];
}
