/**
 * Scores the parser against gold speaker annotations: for each gold passage,
 * is it a paragraph of its own (not glued to another), and does it carry the
 * right speaker, role, attribution and turn? Used by test/parse-layouts.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ATTRIBUTIONS, type ParsedDocument } from '../../retrieval/ingest/document.js';
import { comparableText } from '../../retrieval/text.js';
import { decodeCorpusFile } from '../../retrieval/ingest/decode.js';
import { parseDocument } from '../../retrieval/ingest/parse.js';


const goldSchema = z.object({
  layout: z.string(),
  seenIn: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  passages: z.array(z.object({
    text: z.string().min(4),
    speaker: z.string().nullable(),
    role: z.string().nullable(),
    attribution: z.enum(ATTRIBUTIONS).nullable(),
    turn: z.literal('question').nullable(),
  })),
});
export type Gold = z.infer<typeof goldSchema>;

export interface PassageResult {
  gold: Gold['passages'][number];
  /** The paragraph starts with the gold passage: found, and not glued to what came before it. */
  found: boolean;
  speakerRight: boolean;
  roleRight: boolean;
  attributionRight: boolean;
  turnRight: boolean;
}

export interface FixtureScore {
  file: string;
  gold: Gold;
  document: ParsedDocument;
  passages: PassageResult[];
  /** Passages found on their own with the right speaker (name and turn). */
  accuracy: number;
}

export function scoreFixture(folder: string, file: string): FixtureScore {
  const gold = goldSchema.parse(JSON.parse(fs.readFileSync(goldPath(folder, file)!, 'utf8')));
  const decoded = decodeCorpusFile(fs.readFileSync(path.join(folder, file)));
  if (!decoded.ok) throw new Error(`${file}: ${decoded.reason}`);
  const document = parseDocument(file, decoded.text);
  const paragraphs = document.sections.flatMap((section) =>
    section.paragraphs.map((paragraph) => ({ key: comparableText(paragraph.text), section })),
  );
  const passages = gold.passages.map((passage) => {
    const key = comparableText(passage.text);
    const match = paragraphs.find((paragraph) => paragraph.key.startsWith(key));
    const speaker = match?.section.speaker ?? null;
    return {
      gold: passage,
      found: match !== undefined,
      speakerRight: match !== undefined && (speaker?.name ?? null) === passage.speaker,
      roleRight: match !== undefined && (speaker?.role ?? null) === passage.role,
      attributionRight: match !== undefined && (speaker?.attribution ?? null) === passage.attribution,
      turnRight: match !== undefined && match.section.turn === passage.turn,
    };
  });
  const right = passages.filter((p) => p.found && p.speakerRight && p.turnRight).length;
  return { file, gold, document, passages, accuracy: passages.length === 0 ? 1 : right / passages.length };
}

/** `a.txt.gold.json` or `a.gold.json` beside `a.txt`. */
function goldPath(folder: string, file: string): string | null {
  const candidates = [`${file}.gold.json`, `${file.replace(/\.txt$/, '')}.gold.json`].map((name) => path.join(folder, name));
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? null;
}

export function fixtureFiles(folder: string): string[] {
  return fs.readdirSync(folder).filter((name) => name.endsWith('.txt') && goldPath(folder, name) !== null).sort();
}
