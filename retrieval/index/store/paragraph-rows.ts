/**
 * A paragraph as both SQL stores read it back: one SELECT over paragraphs,
 * sections and documents (the PostgreSQL store runs it in a generation's
 * schema), and the row → StoredParagraph mapping.
 */
import type { Attribution } from '../../ingest/document.js';
import type { StoredParagraph } from './store.js';

export interface StoredParagraphRow {
  id: number; text: string; heading: string | null; content_hash: string; position: number;
  section_id: number; section_position: number; section_title: string | null;
  speaker_name: string | null; speaker_role: string | null; speaker_attribution: Attribution | null; turn: 'question' | null; reporter: string | null;
  file: string; document_title: string; date: string | null; source: string | null;
}

/** The SELECT of StoredParagraphRow; `schema` qualifies the tables (PostgreSQL generations). Add WHERE / ORDER BY. */
export function paragraphSelect(schema?: string): string {
  const table = (name: string) => (schema ? `${schema}.${name}` : name);
  return `
SELECT p.id, p.text, p.heading, p.content_hash, p.position, s.id AS section_id, s.position AS section_position,
       s.title AS section_title, s.speaker_name, s.speaker_role, s.speaker_attribution, s.turn, s.reporter,
       d.file, d.title AS document_title, d.date, d.source
FROM ${table('paragraphs')} p JOIN ${table('sections')} s ON s.id = p.section_id JOIN ${table('documents')} d ON d.id = s.document_id`;
}

export function toParagraph(row: StoredParagraphRow): StoredParagraph {
  return {
    paragraphId: row.id,
    text: row.text,
    heading: row.heading,
    contentHash: row.content_hash,
    position: row.position,
    speaker: row.speaker_name
      ? { name: row.speaker_name, role: row.speaker_role, attribution: row.speaker_attribution ?? 'label' }
      : null,
    turn: row.turn,
    reporter: row.reporter,
    section: { id: row.section_id, index: row.section_position, title: row.section_title },
    document: { file: row.file, title: row.document_title, date: row.date, source: row.source },
  };
}

/** `text` as a literal inside a LIKE pattern: `%`, `_` and the escape character itself match only themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
