/**
 * The console chat (`npm start` without a token) on a corpus of its own
 * (test/fixtures/console-corpus: three speakers on parks, one on reading, and
 * a file that is no text): on a terminal-like stream, commands answer as the
 * bot's do, answers page and echo their filters, and a log line written while
 * the prompt waits lands above it. `npm start` itself, piped: test/process/console-start.test.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { before, describe, it } from 'node:test';
import { EngineHolder, buildIndex, type RetrievalConfig } from '../retrieval/api.js';
import { ConsoleChat } from '../bot/console/chat.js';
import { readCorpus } from '../retrieval/ingest/corpus.js';
import type { Language } from '../bot/presentation/i18n.js';
import { Screen } from './support/screen.js';
import { paragraphCount, tempDir, testConfig } from './support/temp.js';
import { waitUntil } from './support/wait.js';

const CORPUS = path.resolve('test/fixtures/console-corpus');

/** A chat on streams that say they are a terminal, with the screen they draw. */
function terminalChat(config: RetrievalConfig, language: Language) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 });
  const screen = new Screen();
  let raw = '';
  output.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    screen.write(chunk);
  });
  // Logs go to the same terminal, as stderr and stdout do.
  const chat = new ConsoleChat({ input, output, logs: output }, language);
  const prompt = chat.m.consolePrompt;
  let running: Promise<void> | null = null;
  return {
    chat,
    screen,
    prompt,
    async start() {
      running = chat.run(await EngineHolder.open(config, { recoverAtOnce: false }));
      await waitUntil(() => screen.lines().at(-1) === prompt.trimEnd(), 'the first prompt');
    },
    /** Types `text` without Enter. */
    type(text: string) {
      input.write(text);
    },
    /** Types `line` and Enter; resolves with what was printed once the prompt is back. */
    async send(line: string): Promise<string> {
      const from = raw.length;
      input.write(`${line}\r`);
      // readline writes the prompt only when the chat asks for it again, after the reply.
      await waitUntil(() => raw.slice(from).includes(prompt), `the prompt after "${line}"`);
      const printed = new Screen();
      printed.write(raw.slice(from));
      return printed.lines().join('\n');
    },
    async quit() {
      input.write('\x04'); // Ctrl+D
      await running;
    },
  };
}

describe('the console chat on a terminal', () => {
  let config: RetrievalConfig;

  before(async () => {
    config = testConfig({ CORPUS_DIR: CORPUS, INDEX_DIR: tempDir('console-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
  });

  it('answers /help, /speakers, /sources, /about and /start as the bot does, not as questions', async () => {
    const t = terminalChat(config, 'en');
    await t.start();
    const help = await t.send('/help');
    assert.doesNotMatch(help, /^Q: /m, 'no search');
    // The example speaker is one of this index's (which one the examples choose is theirs to say: test/fulltext.test.ts).
    const names = readCorpus(CORPUS).documents.flatMap((d) => d.sections.flatMap((section) => (section.speaker ? [section.speaker.name] : [])));
    const example = /speaker:(\S+) /.exec(help)?.[1];
    assert.ok(example && names.includes(example), `a filter example with a speaker of this index: ${help}`);
    for (const command of ['/start', '/help', '/ask', '/speakers', '/sources', '/about', '/more', '/context', '/quit']) {
      assert.match(help, new RegExp(`^${command} \\S`, 'm'), `/help lists ${command}`);
    }
    assert.doesNotMatch(help, /<\/?(b|code|i)>|&lt;/, 'plain text');

    const speakers = await t.send('/speakers');
    assert.match(speakers, /^Speakers \(page 1\/2, paragraphs in brackets\)$/m);
    assert.match(speakers, /^• 赵青山 市园林局局长 \(3 paragraphs\)$/m);
    assert.match(speakers, /^» Enter or more: page 2\/2$/m);
    const more = await t.send('');
    assert.match(more, /^Speakers \(page 2\/2/m, 'Enter turns the page of a list too');
    assert.equal((`${speakers}\n${more}`.match(/^• /gm) ?? []).length, 11, 'every speaker once');
    assert.match(await t.send('/speakers 2'), /^Speakers \(page 2\/2/m);
    const sources = await t.send('/sources');
    assert.match(sources, /^城市公园与绿道建设推进会发言摘要\n001_parks\.txt · date unknown · 3 sections, 7 paragraphs$/m);
    assert.match(sources, /^居家养老服务推进会讲话摘登$/m, 'the whole list');
    assert.match(await t.send('/speakers'), /^» Enter or more: page 2\/2$/m);
    await t.send('/sources');
    assert.match(await t.send('more'), /nothing more to show/, 'more after /sources pages no older list');
    assert.match(await t.send('/about'), /full-text only/);
    const start = await t.send('/start');
    assert.match(start, new RegExp(`Corpus: 5 documents, 11 speeches or statements, ${paragraphCount(CORPUS)} paragraphs, 11 speakers`));
    assert.match(start, /Examples:\n {2}\S/);
    await t.quit();
  });

  it('pages an answer with Enter, "more" and /more, and says when there is no more', async () => {
    const t = terminalChat(config, 'en');
    await t.start();
    const first = await t.send('公园');
    const total = Number(/^Results 1–3 of (\d+)$/m.exec(first)?.[1]);
    assert.ok(total >= 7, `seven paragraphs speak of 公园:\n${first}`);
    assert.match(first, /^» Enter or more: results 4–6 of \d+ · \/context N/m);
    assert.match(first, /^1\. 「.*公园/m);

    const second = await t.send('');
    assert.match(second, /^Q: 公园\nResults 4–6 of/m);
    assert.match(second, /^4\. 「/m);
    const third = await t.send('more');
    assert.match(third, /^Results 7–9 of|^Results 7–7 of 7$/m);
    let last = third;
    while (/Enter or more/.test(last)) last = await t.send('/more');
    assert.match(last, new RegExp(`^Results \\d+–${total} of ${total}$`, 'm'), 'the last page offers no next one');
    assert.match(await t.send('/more'), /nothing more to show/);
    await t.quit();
  });

  it('echoes the filters in the interface language, and every quote is of that speaker', async () => {
    const zh = terminalChat(config, 'zh');
    await zh.start();
    const filtered = await zh.send('讲话人:孙明月 公园');
    assert.match(filtered, /^问:讲话人:孙明月 · 公园$/m);
    const citations = filtered.match(/^ {3}— .*/gm) ?? [];
    assert.ok(citations.length >= 1, filtered);
    for (const citation of citations) assert.match(citation, /^ {3}— 孙明月\(市交通局副局长\)/);
    assert.match(await zh.send('孙明月: 公园'), /^问:讲话人:孙明月 · 公园$/m, 'a name and a colon is the same filter');
    await zh.quit();

    const en = terminalChat(config, 'en');
    await en.start();
    assert.match(await en.send('speaker:钱晓梅 source:001 公园'), /^Q: speaker: 钱晓梅 · source: 001 · 公园$/m);
    assert.match(await en.send('speaker:某某某 公园'), /No speaker named "某某某"/);
    await en.quit();
  });

  it('shows the paragraphs around a quote of the last answer with /context N', async () => {
    const t = terminalChat(config, 'en');
    await t.start();
    assert.match(await t.send('/context 1'), /has no quote 1/, 'before any answer');
    const answer = await t.send('speaker:赵青山 管护');
    const quote = /^1\. 「(.+)」$/m.exec(answer)?.[1];
    assert.ok(quote, answer);
    const context = await t.send('/context 1');
    assert.ok(context.includes(`▶ 「${quote}」`), context);
    assert.match(context, /居民出门五百米/, 'the paragraph before');
    assert.match(context, /无围墙改造/, 'the paragraph after');
    await t.quit();
  });

  it('says so for an unknown command, and /ask without a question shows how', async () => {
    const t = terminalChat(config, 'en');
    await t.start();
    assert.match(await t.send('/timetravel'), /There is no such command\. Send \/help/);
    assert.match(await t.send('/constructor'), /There is no such command/);
    assert.match(await t.send('/ask'), /Write the question after \/ask/);
    assert.match(await t.send('/ask 绿道'), /^Q: 绿道$/m);
    await t.quit();
  });

  it('writes a log line above the waiting prompt and keeps what was typed', async () => {
    const t = terminalChat(config, 'en');
    t.chat.log('starting: before the prompt');
    await t.start();
    const before = t.screen.lines();
    assert.ok(before.indexOf('starting: before the prompt') < before.lastIndexOf(t.prompt.trimEnd()), 'start-up lines come before the prompt');

    await t.send('公园');
    t.chat.log('index: switched to generation 2');
    assert.deepEqual(t.screen.lines().slice(-2), ['index: switched to generation 2', t.prompt.trimEnd()]);

    // Half a question typed, then a log line: the line goes above, the prompt and the typed text below it.
    t.chat.log('x'); // the screen settles on the prompt line
    const typed = 'speaker:孙明月 绿';
    const seen = t.screen.lines().length;
    t.type(typed);
    await waitUntil(() => t.screen.lines().at(-1) === `${t.prompt}${typed}`, 'the typed text');
    t.chat.log('model: still full-text only');
    assert.deepEqual(t.screen.lines().slice(-2), ['model: still full-text only', `${t.prompt}${typed}`]);
    assert.equal(t.screen.lines().length, seen + 1, 'one line more, nothing overwritten');
    const answer = await t.send('道');
    assert.match(answer, /Q: speaker: 孙明月 · 绿道/, 'the question typed around the log line is whole');
    await t.quit();
  });
});
