/**
 * The researcher's views in retrieval/ (timeline, speaker profile, compare) on a
 * corpus of their own (test/fixtures/research-corpus: one official on old-age
 * care from 2019 to 2023 under two roles, colleagues beside them, a document
 * on parks, one without a date), and on the seed corpus (test/fixtures/seed-corpus, the shipped documents frozen), which is mostly undated; then the same views in the
 * console chat (`npm run ask`'s are in test/process/ask-views.test.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { buildIndex, compare, EngineHolder, SearchEngine, speakerProfile, timeline, type RetrievalConfig } from '../retrieval/api.js';
import { lookUpSpeaker } from '../retrieval/search/speaker-names.js';
import { timelineOf, VIEW_DEPTH } from '../retrieval/search/timeline.js';
import { ConsoleChat } from '../bot/console/chat.js';
import { tempDir, testConfig } from './support/temp.js';

const RESEARCH_CORPUS = path.resolve('test/fixtures/research-corpus');

describe('timeline, speaker profile and compare on a corpus with dates and several speakers', () => {
  let engine: SearchEngine;

  before(async () => {
    const config: RetrievalConfig = testConfig({ CORPUS_DIR: RESEARCH_CORPUS, INDEX_DIR: tempDir('research-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    engine = await SearchEngine.open(config);
  });
  after(() => engine?.close());

  it('a timeline counts the passages on a topic per year when they spread over years, gaps and undated ones included', async () => {
    const view = await timeline(engine, '养老');
    assert.equal(view.granularity, 'year');
    assert.deepEqual(view.periods.map((p) => [p.period, p.hits.length]), [['2019', 3], ['2020', 3], ['2021', 5], ['2022', 0], ['2023', 1]]);
    assert.equal(view.undated.length, 1);
    assert.equal(view.undated[0]!.document.file, '007_library_undated.txt');
    const dates = view.ordered.map((hit) => hit.document.date);
    assert.deepEqual(dates.slice(0, -1), [...dates.slice(0, -1)].sort(), 'dated passages in date order, the undated last');
    assert.equal(dates.at(-1), null);
    assert.ok(view.ordered.every((hit) => hit.text.includes('养老')), 'every passage counted holds the topic');
  });

  it('a timeline whose dates fall within two years counts per month; a filter in the topic narrows it', async () => {
    const view = await timeline(engine, 'speaker:刘志勇 养老');
    assert.equal(view.granularity, 'month');
    assert.equal(view.periods[0]!.period, '2020-02');
    assert.equal(view.periods.at(-1)!.period, '2021-06');
    assert.equal(view.periods.length, 17, 'every month between, empty ones included');
    assert.equal(view.ordered.length, 2);
    assert.ok(view.ordered.every((hit) => hit.speaker?.name === '刘志勇'));
  });

  it('a timeline says when search had more passages than it draws from', async () => {
    const result = await engine.ask('养老', { top: VIEW_DEPTH });
    assert.equal(timelineOf(result).capped, false);
    const many = Array.from({ length: VIEW_DEPTH }, (_, i) => ({ ...result.results[i % result.results.length]!, paragraphId: 1000 + i }));
    const capped = timelineOf({ ...result, results: many });
    assert.equal(capped.capped, true);
    assert.equal(capped.ordered.length, VIEW_DEPTH);
  });

  it('a topic no passage speaks of gives an empty timeline, not the nearest passages', async () => {
    const view = await timeline(engine, '量子计算');
    assert.deepEqual(view.ordered, []);
    assert.deepEqual(view.periods, []);
    // Search finds a speaker's passages by the role in their context; no passage's text says it, so none is counted.
    assert.ok((await engine.ask('副主任')).results.length > 0);
    assert.deepEqual((await timeline(engine, '副主任')).ordered, []);
  });

  it('a profile gives roles over time, documents, dates, counts, distinctive terms and three quotes from different documents', async () => {
    const lookup = await speakerProfile(engine.reader, '黄德明');
    assert.equal(lookup.kind, 'found');
    const profile = lookup.kind === 'found' ? lookup.profile : assert.fail();
    assert.deepEqual(profile.roles, [
      { role: '市民政局局长', first: '2019-03-15', last: '2020-02-20', passages: 4 },
      { role: '副市长', first: '2021-06-18', last: '2023-05-10', passages: 4 },
    ]);
    assert.equal(profile.passages, 8);
    assert.equal(profile.documents.length, 5);
    assert.deepEqual([profile.first, profile.last], ['2019-03-15', '2023-05-10']);
    const terms = profile.terms.map((t) => t.term);
    // 护理员 is his alone (three times): it outranks 养老, which he says most but every other speaker says too.
    assert.equal(terms[0], '护理员');
    assert.ok(terms.indexOf('养老') > 0);
    assert.ok(!terms.includes('公园'), 'a term of others only is not his');
    assert.ok(!terms.includes('我们'), 'pronouns are no topic');
    assert.equal(profile.quotes.length, 3);
    assert.equal(new Set(profile.quotes.map((q) => q.document.file)).size, 3);
    assert.ok(profile.quotes.every((q) => q.speaker?.name === '黄德明'));
  });

  it('a name typed inside a longer phrase, or a unique role, finds the speaker; ambiguous and unknown names get the closest', async () => {
    const { speakers } = engine.catalogue;
    assert.deepEqual(lookUpSpeaker(speakers, '副市长黄德明'), { kind: 'found', name: '黄德明' });
    assert.deepEqual(lookUpSpeaker(speakers, '市财政局'), { kind: 'found', name: '许文涛' });
    assert.deepEqual(lookUpSpeaker(speakers, '刘'), { kind: 'ambiguous', asked: '刘', candidates: ['刘志勇', '刘晓光'] });
    const typo = lookUpSpeaker(speakers, '黄得明');
    assert.equal(typo.kind, 'unknown');
    assert.equal(typo.kind === 'unknown' && typo.candidates[0], '黄德明');
    const stranger = await speakerProfile(engine.reader, 'Smith');
    assert.equal(stranger.kind, 'unknown');
    assert.ok(stranger.kind === 'unknown' && stranger.candidates[0] === '黄德明', 'nothing in common: the most quoted first');
  });

  it('compare gives each side its own passages on the topic: a speaker and a source, one side silent', async () => {
    const people = await compare(engine, '黄德明', '刘志勇', '养老');
    assert.equal(people.kind, 'compared');
    const [a, b] = people.kind === 'compared' ? people.sides : assert.fail();
    assert.deepEqual(a.side, { kind: 'speaker', name: '黄德明' });
    assert.equal(a.hits.length, 8);
    assert.equal(b.hits.length, 2);
    assert.ok(b.hits.every((hit) => hit.speaker?.name === '刘志勇' && hit.text.includes('养老')));

    const mixed = await compare(engine, '黄德明', '003', '公园');
    const [speaker, source] = mixed.kind === 'compared' ? mixed.sides : assert.fail();
    assert.deepEqual(source.side, { kind: 'source', source: '003' });
    assert.ok(source.hits.length >= 3 && source.hits.every((hit) => hit.document.file.startsWith('003')));
    assert.equal(speaker.hits.length, 0, 'he never speaks of parks');

    const unknown = await compare(engine, '黄德明', '无此人', '养老');
    assert.equal(unknown.kind, 'unresolved');
  });
});

describe('the views on the seed corpus (a frozen copy of the shipped one)', () => {
  let engine: SearchEngine;

  before(async () => {
    const config = testConfig({ CORPUS_DIR: path.resolve('test/fixtures/seed-corpus'), INDEX_DIR: tempDir('research-seed'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    engine = await SearchEngine.open(config);
  });
  after(() => engine?.close());

  it('every passage of a timeline is in it once, dated or not; every speaker has a profile of their own passages', async () => {
    const view = await timeline(engine, '发展');
    assert.ok(view.ordered.length > 0);
    const counted = view.periods.reduce((n, p) => n + p.hits.length, 0) + view.undated.length;
    assert.equal(counted, view.ordered.length);
    assert.equal(new Set(view.ordered.map((hit) => hit.paragraphId)).size, view.ordered.length);
    for (const name of new Set(engine.speakerNames())) {
      const lookup = await speakerProfile(engine.reader, name);
      assert.equal(lookup.kind, 'found', name);
      const profile = lookup.kind === 'found' ? lookup.profile : assert.fail();
      const listed = engine.catalogue.speakers.filter((s) => s.name === name).reduce((n, s) => n + s.paragraphs, 0);
      assert.equal(profile.passages, listed, name);
      assert.ok(profile.quotes.length === Math.min(3, listed) && profile.quotes.every((q) => q.speaker?.name === name), name);
    }
  });
});

describe('the views in the console chat', () => {
  let config: RetrievalConfig;

  before(async () => {
    config = testConfig({ CORPUS_DIR: RESEARCH_CORPUS, INDEX_DIR: tempDir('research-surfaces'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
  });

  /** What the console chat prints for `lines` typed through a pipe, in `language`. */
  async function chat(lines: string[], language: 'zh' | 'en'): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    const console = new ConsoleChat({ input, output, logs: new PassThrough() }, language);
    const running = console.run(await EngineHolder.open(config, { recoverAtOnce: false }));
    input.end(lines.map((line) => `${line}\n`).join(''));
    await running;
    return printed;
  }

  it('the console pages /timeline and /compare with more, shows /speaker with questions to type, and lists them in /help', async () => {
    const printed = await chat(['/help', '/timeline 养老', 'more', '/more', 'more', '/speaker 黄德明', '/speaker 刘', '/compare 黄德明 刘志勇 养老', 'more'], 'en');
    for (const command of ['timeline', 'speaker', 'compare']) assert.match(printed, new RegExp(`^/${command} \\S`, 'm'));
    assert.match(printed, /^2021 +█{12} 5$/m);
    for (const range of ['1–5', '6–10', '11–13']) assert.match(printed, new RegExp(`^Results ${range} of 13$`, 'm'));
    assert.match(printed, /nothing more to show/, 'after the last page');
    assert.match(printed, /^Speaks more than the corpus of: 护理员 · /m);
    assert.match(printed, /^» Ask within this speaker’s passages, e\.g\.: speaker:黄德明 护理员 \| /m);
    assert.match(printed, /"刘" could be several speakers: 刘志勇, 刘晓光/);
    assert.match(printed, /^A1 — 黄德明/m);
    assert.match(printed, /^A4 — 黄德明/m, 'more turns the page of a comparison');
    assert.doesNotMatch(printed, /<\/?(b|i|code|blockquote)>/, 'plain text');
    assert.match(await chat(['/timeline 养老'], 'zh'), /13 段原文,按年统计/);
    // A topic only undated documents speak of: no period to count by, and the way to give a date.
    assert.match(await chat(['/timeline 城市书房'], 'zh'), /1 段原文,所在文件都没有日期\(可在文件旁的 \.meta\.json 中写上 "date"\):/);
  });
});
