/**
 * `npm run ask -- [--json] [--top N] [--mode hybrid|dense|lexical] [--speaker NAME] [--source FILE] "question"`
 * `npm run ask -- --batch FILE`: one JSON object per line (`{"id", "q"}`) in, one JSON answer per line out.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { describeIssues, resultJson, RetrievalError, SearchEngine, searchModes, type SearchOptions, type SearchResult } from '../retrieval/api.js';
import { messagesFor } from '../bot/presentation/i18n.js';
import { runCommand } from './cli.js';

const optionsSchema = z.object({
  json: z.boolean(),
  top: z.coerce.number({ message: '--top takes a number' }).int().min(1, '--top must be 1 or more').max(50, '--top can be at most 50'),
  mode: z.enum(searchModes, { message: `--mode takes one of ${searchModes.join(', ')}` }),
  speaker: z.string().optional(),
  source: z.string().optional(),
  batch: z.string().optional(),
});

const batchLineSchema = z.object({ id: z.unknown(), q: z.string() });

/** The answer as the bot would caveat it (its English notes), with where each passage is in the index. */
function readable(result: SearchResult): string {
  const m = messagesFor('en');
  const lines = [`Q: ${result.query}  [${result.mode}]`];
  for (const notice of result.notices) lines.push(`note: ${notice}`);
  if (result.searched.length > 0) lines.push(m.searchedNote(result.searched));
  if (result.evidence.kind === 'partial') lines.push(m.partialNote(result.evidence.missing, result.evidence.found));
  if (!result.answered) lines.push('Not found: the corpus does not seem to answer this. Closest passages:');
  for (const hit of result.results) {
    const speaker = hit.speaker ? `${hit.speaker.name}(${hit.speaker.role ?? '职务不详'})` : '未署名';
    const where = [hit.section.title, hit.document.title, hit.document.date ?? '日期不详'].filter(Boolean).join(' | ');
    lines.push('', `${hit.rank}. 「${hit.text}」`, `   — ${speaker}; ${where} [${hit.document.file} #${hit.paragraphId}]`);
    if (hit.fragments.length > 0) lines.push(`   (${m.fragmentNote(hit.fragments)})`);
  }
  if (result.results.length === 0) lines.push('(no passages)');
  return lines.join('\n');
}

async function answerBatch(engine: SearchEngine, file: string, options: SearchOptions): Promise<void> {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  for (const [index, line] of lines.entries()) {
    let parsed: z.infer<typeof batchLineSchema>;
    try {
      parsed = batchLineSchema.parse(JSON.parse(line));
    } catch (error) {
      const problem = error instanceof z.ZodError ? describeIssues(error) : (error as Error).message;
      console.log(JSON.stringify({ line: index + 1, error: `not a {"id", "q"} object: ${problem}` }));
      continue;
    }
    try {
      console.log(JSON.stringify(resultJson(parsed.id, await engine.ask(parsed.q, options))));
    } catch (error) {
      if (!(error instanceof RetrievalError)) throw error;
      console.log(JSON.stringify({ id: parsed.id, query: parsed.q, error: error.message, code: error.code }));
    }
  }
}

const command = {
  name: 'ask',
  about:
    'Answers a question in the terminal as the bot would: the passages, each with speaker and source, the caveat when\n' +
    'part of the question is in no passage, and the words searched for an English question.',
  positionals: '"question"',
  options: {
    json: { type: 'boolean', default: false, help: 'one JSON object: the evidence (direct, partial, none), what was searched, the passages' },
    top: { type: 'string', default: '5', value: 'N', help: 'how many passages (1–50)' },
    mode: { type: 'string', default: 'hybrid', value: searchModes.join('|'), help: 'how to search (without vectors: lexical)' },
    speaker: { type: 'string', value: 'NAME', help: 'only passages of this speaker' },
    source: { type: 'string', value: 'FILE', help: 'only passages of this document (file name start or title)' },
    batch: { type: 'string', value: 'FILE', help: 'questions as JSON lines {"id", "q"}; one JSON answer a line out' },
  },
} as const;

runCommand(command, async (config, { values, positionals }) => {
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) throw new RetrievalError('CONFIG_INVALID', `invalid option: ${describeIssues(parsed.error)}`);
  const options = parsed.data;
  if (!options.batch && positionals.length === 0) {
    throw new RetrievalError('QUERY_EMPTY', 'no question: npm run ask -- "question" (npm run ask -- --help lists the options)');
  }
  const engine = await SearchEngine.open(config);
  try {
    const searchOptions: SearchOptions = { mode: options.mode, top: options.top, speaker: options.speaker, source: options.source };
    if (options.batch) return await answerBatch(engine, options.batch, searchOptions);
    const result = await engine.ask(positionals.join(' '), searchOptions);
    console.log(options.json ? JSON.stringify(resultJson(null, result), null, 2) : readable(result));
  } finally {
    await engine.close();
  }
});
