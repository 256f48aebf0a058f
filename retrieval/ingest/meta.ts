/**
 * Optional per-file metadata, `<file>.meta.json` beside a corpus file, for
 * what the text itself cannot tell: title, date, source URL, section titles
 * and speakers.
 */
import { z } from 'zod';
import { describeIssues } from '../config.js';
import type { ParsedDocument } from './document.js';

const speakerSchema = z.strictObject({
  name: z.string().min(1),
  role: z.string().min(1).nullable().default(null),
});

export const documentMetaSchema = z.strictObject({
  title: z.string().min(1).optional(),
  date: z.iso.date({ message: 'must be a date written YYYY-MM-DD' }).optional(),
  source: z.url({ message: 'must be a URL such as https://example.org/page' }).optional(),
  sections: z
    .array(
      z.strictObject({
        /** 1-based, as `npm run inspect` numbers sections. */
        index: z.number().int().positive(),
        title: z.string().min(1).optional(),
        /** null removes a wrong attribution. */
        speaker: speakerSchema.nullable().optional(),
      }),
    )
    .default([]),
});

export type DocumentMeta = z.infer<typeof documentMetaSchema>;

export type MetaResult = { ok: true; meta: DocumentMeta } | { ok: false; problem: string };

/** Validates the text of a meta file; the problem names the field and what is wrong with it. */
export function parseDocumentMeta(json: string): MetaResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  const result = documentMetaSchema.safeParse(value);
  return result.success ? { ok: true, meta: result.data } : { ok: false, problem: describeIssues(result.error) };
}

/** Applies metadata to a parsed document; returns problems such as a section index that does not exist. */
export function applyDocumentMeta(document: ParsedDocument, meta: DocumentMeta): string[] {
  const problems: string[] = [];
  if (meta.title) document.title = meta.title;
  if (meta.date) document.date = meta.date;
  if (meta.source) document.source = meta.source;
  for (const override of meta.sections) {
    const section = document.sections[override.index - 1];
    if (!section) {
      problems.push(`sections: index ${override.index} does not exist (the document has ${document.sections.length} sections)`);
      continue;
    }
    if (override.title) section.title = override.title;
    if (override.speaker !== undefined) {
      section.speaker = override.speaker && { name: override.speaker.name, role: override.speaker.role, attribution: 'meta' };
    }
  }
  return problems;
}
