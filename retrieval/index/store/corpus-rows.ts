/**
 * A parsed corpus as the rows every store writes: documents, their sections,
 * and paragraphs with content hash, comparable text and segmented words. One
 * place decides what is indexed, so both stores search the same words.
 */
import type { Corpus, CorpusDocument } from '../../ingest/corpus.js';
import type { Section } from '../../ingest/document.js';
import { comparableText, isSentenceEnd } from '../../text.js';
import { Segmenter } from '../segment.js';
import { contentHash } from './store.js';

export interface ParagraphRow {
  position: number;
  heading: string | null;
  text: string;
  contentHash: string;
  comparable: string;
  /** The paragraph's words, segmented (segment.ts). */
  bodyWords: string[];
  /** Words of who said it and under which title and heading. */
  contextWords: string[];
}

export interface SectionRows {
  position: number;
  section: Section;
  paragraphs: ParagraphRow[];
}

export interface DocumentRows {
  document: CorpusDocument;
  sections: SectionRows[];
}

/**
 * A paragraph longer than this is stored, searched, embedded and quoted in windows of at most this many characters,
 * one after the other in its section: no question then reads, segments or scores megabytes, and a quote stays
 * something a person can read. Several times a long speech paragraph.
 */
export const WINDOW_CHARACTERS = 2_000;

/**
 * `text` in windows of at most WINDOW_CHARACTERS, verbatim and in order: each cut after the window's last sentence
 * end in its second half, else at its edge (never inside a surrogate pair). One window when the text fits.
 */
export function paragraphWindows(text: string): string[] {
  const windows: string[] = [];
  let start = 0;
  while (text.length - start > WINDOW_CHARACTERS) {
    const edge = start + WINDOW_CHARACTERS;
    let cut = edge;
    for (let i = edge - 1; i > start + WINDOW_CHARACTERS / 2; i--) {
      if (isSentenceEnd(text[i]!)) {
        cut = i + 1;
        break;
      }
    }
    if (cut === edge && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut -= 1;
    windows.push(text.slice(start, cut));
    start = cut;
  }
  windows.push(text.slice(start));
  return windows.filter((window) => window.trim() !== '');
}

/** What the build says about paragraphs it windows: where they are, and what to do about them. */
export function longParagraphWarnings(corpus: Corpus): string[] {
  return corpus.documents.flatMap((document) =>
    document.sections.flatMap((section) =>
      section.paragraphs.flatMap((paragraph) => {
        if (paragraph.text.length <= WINDOW_CHARACTERS) return [];
        const windows = paragraphWindows(paragraph.text).length;
        return [
          `${document.file}: a paragraph of ${paragraph.text.length.toLocaleString('en')} characters ` +
            `(starting "${paragraph.text.slice(0, 20)}…") is indexed and quoted in ${windows} windows of at most ` +
            `${WINDOW_CHARACTERS.toLocaleString('en')}; if it is several paragraphs run together, separate them with blank lines`,
        ];
      }),
    ),
  );
}

/** The rows of a corpus, in corpus order, segmented with `vocabulary`; a long paragraph becomes its windows. */
export function* corpusRows(corpus: Corpus, vocabulary: readonly string[]): Generator<DocumentRows> {
  const segmenter = Segmenter.for(vocabulary);
  for (const document of corpus.documents) {
    yield {
      document,
      sections: document.sections.map((section, sectionIndex) => {
        const context = [section.speaker?.name, section.speaker?.role, section.title];
        const pieces = section.paragraphs.flatMap((paragraph) => paragraphWindows(paragraph.text).map((text) => ({ paragraph, text })));
        return {
          position: sectionIndex + 1,
          section,
          paragraphs: pieces.map(({ paragraph, text }, index) => ({
            position: index + 1,
            heading: paragraph.heading,
            text,
            contentHash: contentHash(text),
            comparable: comparableText(text),
            bodyWords: segmenter.segment(text),
            contextWords: segmenter.segment([...context, paragraph.heading].filter(Boolean).join(' ')),
          })),
        };
      }),
    };
  }
}
