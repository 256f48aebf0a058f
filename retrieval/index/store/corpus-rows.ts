/**
 * A parsed corpus as the rows every store writes: documents, their sections,
 * and paragraphs with content hash, comparable text and segmented words. One
 * place decides what is indexed, so both stores search the same words.
 */
import type { Corpus, CorpusDocument } from '../../ingest/corpus.js';
import type { Section } from '../../ingest/document.js';
import { comparableText } from '../../text.js';
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

/** The rows of a corpus, in corpus order, segmented with `vocabulary`. */
export function* corpusRows(corpus: Corpus, vocabulary: readonly string[]): Generator<DocumentRows> {
  const segmenter = Segmenter.for(vocabulary);
  for (const document of corpus.documents) {
    yield {
      document,
      sections: document.sections.map((section, sectionIndex) => {
        const context = [section.speaker?.name, section.speaker?.role, section.title];
        return {
          position: sectionIndex + 1,
          section,
          paragraphs: section.paragraphs.map((paragraph, paragraphIndex) => ({
            position: paragraphIndex + 1,
            heading: paragraph.heading,
            text: paragraph.text,
            contentHash: contentHash(paragraph.text),
            comparable: comparableText(paragraph.text),
            bodyWords: segmenter.segment(paragraph.text),
            contextWords: segmenter.segment([...context, paragraph.heading].filter(Boolean).join(' ')),
          })),
        };
      }),
    };
  }
}
