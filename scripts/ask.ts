/**
 * `npm run ask -- [--json] [--top N] [--mode hybrid|dense|lexical] [--speaker NAME] [--source FILE] "question"`
 * `npm run ask -- --batch FILE`: one JSON object per line (`{"id", "q"}`) in, one JSON answer per line out.
 * `npm run ask -- [--json] --timeline "topic"`, `--speaker-profile NAME`, `--compare A B "topic"`: the researcher's views.
 */
import fs from 'node:fs';
import { z } from 'zod';
import {
  compare, comparisonJson, describeIssues, profileJson, resultJson, RetrievalError, SearchEngine, searchModes, speakerProfile, timeline, timelineJson,
  type SearchOptions, type SearchResult,
} from '../retrieval/api.js';
import { messagesFor } from '../bot/presentation/i18n.js';
import { plainText } from '../bot/presentation/plain-text.js';
import type { ViewPage } from '../bot/presentation/research.js';
import { compareView, profileView, timelineView } from '../bot/research.js';
import { runCommand } from './cli.js';

const optionsSchema = z.object({
  json: z.boolean(),
  top: z.coerce.number({ message: '--top takes a number' }).int().min(1, '--top must be 1 or more').max(50, '--top can be at most 50'),
  mode: z.enum(searchModes, { message: `--mode takes one of ${searchModes.join(', ')}` }),
  speaker: z.string().optional(),
  source: z.string().optional(),
  batch: z.string().optional(),
  timeline: z.boolean(),
  'speaker-profile': z.boolean(),
  compare: z.boolean(),
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
      const started = performance.now();
      const result = await engine.ask(parsed.q, options);
      console.log(JSON.stringify(resultJson(parsed.id, result, performance.now() - started)));
    } catch (error) {
      if (!(error instanceof RetrievalError)) throw error;
      console.log(JSON.stringify({ id: parsed.id, query: parsed.q, error: error.message, code: error.code }));
    }
  }
}

/** Every page of a view as the console shows it (English), one after another: a terminal has no message limit to page for. */
async function allPages(view: (offset: number) => Promise<ViewPage>): Promise<string> {
  const pages: string[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const page: ViewPage = await view(offset);
    pages.push(plainText(page.html));
    offset = page.next;
  }
  return pages.join('\n\n');
}

/** A side of `--compare` as the views read it: quoted when it holds spaces. */
const sideArgument = (side: string) => (/\s/.test(side) ? `"${side}"` : side);

/** What the command line lacks for what it asks, as a usage line; null when nothing. */
function missingArguments(options: z.infer<typeof optionsSchema>, positionals: string[]): string | null {
  if (options.batch) return null;
  if (options.timeline) return positionals.length === 0 ? 'no topic: npm run ask -- --timeline "topic"' : null;
  if (options['speaker-profile']) return positionals.length === 0 ? 'no name: npm run ask -- --speaker-profile NAME' : null;
  if (options.compare) {
    return positionals.length < 3 ? `--compare takes two speakers or sources and a topic, got ${positionals.length} word(s): npm run ask -- --compare A B "topic"` : null;
  }
  return positionals.length === 0 ? 'no question: npm run ask -- "question"' : null;
}

async function showView(engine: SearchEngine, options: z.infer<typeof optionsSchema>, positionals: string[]): Promise<void> {
  const m = messagesFor('en');
  const text = positionals.join(' ');
  const mode = options.mode;
  if (options.timeline) {
    console.log(options.json ? JSON.stringify(timelineJson(await timeline(engine, text, { mode })), null, 2) : await allPages((offset) => timelineView(engine, text, m, offset, mode)));
  } else if (options['speaker-profile']) {
    console.log(options.json ? JSON.stringify(profileJson(await speakerProfile(engine.reader, text)), null, 2) : plainText((await profileView(engine, text, m)).html));
  } else {
    const [first = '', second = '', ...topic] = positionals;
    if (options.json) {
      console.log(JSON.stringify(comparisonJson(await compare(engine, first, second, topic.join(' '), { mode })), null, 2));
    } else {
      const args = [sideArgument(first), sideArgument(second), ...topic].join(' ');
      console.log(await allPages((offset) => compareView(engine, args, m, offset, mode)));
    }
  }
}

const command = {
  name: 'ask',
  about:
    'Answers a question in the terminal as the bot would: the passages, each with speaker and source, the caveat when\n' +
    'part of the question is in no passage, and the words searched for an English question.',
  positionals: '"question" | --timeline "topic" | --speaker-profile NAME | --compare A B "topic"',
  options: {
    json: { type: 'boolean', default: false, help: 'one JSON object: the evidence (direct, partial, none), what was searched, the passages' },
    top: { type: 'string', default: '5', value: 'N', help: 'how many passages (1–50)' },
    mode: { type: 'string', default: 'hybrid', value: searchModes.join('|'), help: 'how to search (without vectors: lexical)' },
    speaker: { type: 'string', value: 'NAME', help: 'only passages of this speaker' },
    source: { type: 'string', value: 'FILE', help: 'only passages of this document (file name start or title)' },
    batch: { type: 'string', value: 'FILE', help: 'questions as JSON lines {"id", "q"}; one JSON answer a line out' },
    timeline: { type: 'boolean', default: false, help: 'the passages on the topic by date, counted per year or month (with --json: every passage)' },
    'speaker-profile': { type: 'boolean', default: false, help: 'the speaker named: roles, documents, dates, distinctive terms, three quotes' },
    compare: { type: 'boolean', default: false, help: 'A B "topic": the passages of two speakers or sources on the topic' },
  },
} as const;

runCommand(command, async (config, { values, positionals }) => {
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) throw new RetrievalError('CONFIG_INVALID', `invalid option: ${describeIssues(parsed.error)}`);
  const options = parsed.data;
  const views = [options.timeline, options['speaker-profile'], options.compare].filter(Boolean).length;
  if (views > 1 || (views === 1 && options.batch)) {
    throw new RetrievalError('CONFIG_INVALID', 'invalid option: --timeline, --speaker-profile, --compare and --batch go one at a time');
  }
  const missing = missingArguments(options, positionals);
  if (missing) throw new RetrievalError('QUERY_EMPTY', `${missing} (npm run ask -- --help lists the options)`);
  const engine = await SearchEngine.open(config);
  try {
    if (views === 1) return await showView(engine, options, positionals);
    const searchOptions: SearchOptions = { mode: options.mode, top: options.top, speaker: options.speaker, source: options.source };
    if (options.batch) return await answerBatch(engine, options.batch, searchOptions);
    const started = performance.now();
    const result = await engine.ask(positionals.join(' '), searchOptions);
    const ms = performance.now() - started;
    console.log(options.json ? JSON.stringify(resultJson(null, result, ms), null, 2) : readable(result));
  } finally {
    await engine.close();
  }
});
