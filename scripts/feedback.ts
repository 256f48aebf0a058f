/**
 * `npm run feedback`: what readers said of the answers (bot/feedback/report.ts).
 *
 *   (no option)      a readable report: worst-rated questions with what was shown, passages flagged as wrongly
 *                    attributed with where they are, their speaker now, how it was attributed and the names suggested
 *   --jsonl          the same as JSON lines, for tools
 *   --as-eval FILE   adds the 👎 questions to FILE in the dev question-set format, gold left to fill
 *   --as-meta DIR    writes <file>.meta.json correction stubs for the flagged sections into DIR (a copy of the corpus
 *                    folder, or CORPUS_DIR itself), merged into the meta files already there
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { openFeedbackStore } from '../bot/feedback/open-feedback.js';
import {
  evalFileQuestions, evalQuestions, hashesOf, type Paragraphs, reportJsonl, reportText, speakerCorrections, summarise, withCorrections,
} from '../bot/feedback/report.js';
import { openStore, parseDocumentMeta, type RetrievalConfig, RetrievalError, type StoredParagraph } from '../retrieval/api.js';
import { parseCommandLine, runCommand } from './cli.js';

/** The paragraphs of the index in use with these content hashes (or prefixes). */
async function lookUp(config: RetrievalConfig, hashes: string[]): Promise<Paragraphs> {
  const found = new Map<string, StoredParagraph | null>();
  if (hashes.length === 0) return found;
  const store = openStore(config);
  try {
    const reader = await store.open(await store.currentGeneration());
    try {
      for (const hash of hashes) found.set(hash, await reader.paragraphByHash(hash));
    } finally {
      await reader.close();
    }
  } finally {
    await store.close();
  }
  return found;
}

const evalLineSchema = z.object({ q: z.string() });

/** Appends the new 👎 questions to `file`, keeping every line already there (gold someone filled in). */
function writeEval(file: string, questions: (known: Set<string>) => object[]): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const existing = text.split('\n').filter((line) => line.trim() !== '');
  const parsed = existing.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const question = evalLineSchema.safeParse(value);
    if (!question.success) throw new RetrievalError('CONFIG_INVALID', `${file} line ${i + 1} is not a question of a question set ({"q": …}); fix it or name another file`);
    return question.data;
  });
  const added = questions(evalFileQuestions(parsed));
  if (added.length > 0) {
    const separator = text !== '' && !text.endsWith('\n') ? '\n' : '';
    fs.appendFileSync(file, `${separator}${added.map((q) => JSON.stringify(q)).join('\n')}\n`);
  }
  return `${file}: ${added.length} question${added.length === 1 ? '' : 's'} rated 👎 added (gold left to fill), ${existing.length} already there`;
}

/** Writes a correction stub per document with flagged sections; a meta file that does not parse is left alone. */
function writeMeta(dir: string, summary: ReturnType<typeof summarise>, paragraphs: Paragraphs): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const corrections = speakerCorrections(summary, paragraphs);
  const lines: string[] = [];
  for (const file of [...new Set(corrections.map((c) => c.file))]) {
    const target = path.join(dir, `${file}.meta.json`);
    const ofFile = corrections.filter((c) => c.file === file);
    const existing = parseDocumentMeta(fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '{}');
    if (!existing.ok) {
      lines.push(`${target}: left alone, it does not parse (${existing.problem}); fix it and run again`);
      continue;
    }
    fs.writeFileSync(target, `${JSON.stringify(withCorrections(existing.meta, ofFile), null, 2)}\n`);
    for (const c of ofFile) {
      const what = c.speaker ? `speaker ${c.speaker.name}` : 'speaker removed (no name was suggested)';
      const others = c.alternatives.length > 0 ? `; also suggested: ${c.alternatives.join(', ')}` : '';
      lines.push(`${target}: section ${c.section}: ${what} (${c.flags} flag${c.flags === 1 ? '' : 's'}${others})`);
    }
  }
  if (lines.length === 0) lines.push('No flagged section needs a correction.');
  else lines.push('Review the stubs (role, and the whole section now has this speaker), copy them beside the corpus files, then run npm run build-index.');
  return lines;
}

const command = {
  name: 'feedback',
  about:
    'What readers said of the answers (👍/👎, speaker flags): without options a readable report of the worst-rated\n' +
    'questions and the passages flagged as wrongly attributed.',
  options: {
    jsonl: { type: 'boolean', default: false, help: 'the same as JSON lines, for tools' },
    'as-eval': { type: 'string', value: 'FILE', help: 'add the 👎 questions to FILE in the question-set format of npm run eval (gold left to fill)' },
    'as-meta': { type: 'string', value: 'DIR', help: 'write <file>.meta.json correction stubs for the flagged sections into DIR, merged into those there' },
  },
} as const;

/** What `npm run feedback` with these arguments prints (after writing the files --as-eval and --as-meta ask for). */
export async function feedbackCommand(config: RetrievalConfig, args: string[]): Promise<string> {
  const { values } = parseCommandLine(command, args);
  const store = openFeedbackStore(config);
  let summary: ReturnType<typeof summarise>;
  try {
    summary = summarise(await store.votes(), await store.flags());
  } finally {
    await store.close();
  }
  const paragraphs = await lookUp(config, hashesOf(summary));
  const evalFile = values['as-eval'];
  const metaDir = values['as-meta'];
  const lines: string[] = [];
  if (evalFile) lines.push(writeEval(evalFile, (known) => evalQuestions(summary, paragraphs, known)));
  if (metaDir) lines.push(...writeMeta(metaDir, summary, paragraphs));
  if (!evalFile && !metaDir) lines.push(...(values.jsonl ? reportJsonl(summary, paragraphs) : [reportText(summary, paragraphs).trimEnd()]));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(fileURLToPath(import.meta.url));
if (isMain) runCommand(command, async (config) => void process.stdout.write(await feedbackCommand(config, process.argv.slice(2))));
