import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIndex } from '../retrieval/api.js';
import type { RetrievalConfig } from '../retrieval/config.js';
import type { SearchEngine } from '../retrieval/search/search.js';
import { EngineHolder } from '../retrieval/search/engine-holder.js';
import { writeTestModel } from '../scripts/test-model.js';
import { tempDir, testConfig } from './support/temp.js';

/** The test's corpus: small, so that building it (with the test model too) takes little time. */
const WATER = path.resolve('test/fixtures/water-corpus');

describe('EngineHolder', () => {
  let config: RetrievalConfig;
  let holder: EngineHolder;
  const logged: string[] = [];

  before(async () => {
    config = testConfig({ CORPUS_DIR: WATER, INDEX_DIR: tempDir('holder-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    // Polling is left to refresh() calls here, so the test decides when a swap happens. No grace period: a replaced
    // engine is closed at the next turn of the timers unless a query still holds it.
    holder = await EngineHolder.open(config, { pollMs: 60_000, graceMs: 0, log: (line) => logged.push(line) });
  });
  after(() => holder?.close());

  it('swaps to a rebuilt index, keeps the old engine open for a query in flight, then closes it', async () => {
    const first = holder.current;
    let release!: () => void;
    let usedDuringSwap: SearchEngine | undefined;
    const query = holder.use(async (engine) => {
      await new Promise<void>((resolve) => (release = resolve));
      usedDuringSwap = engine;
      return (await engine.ask('智慧水表')).answered;
    });

    await buildIndex(config);
    await holder.refresh();
    assert.notEqual(holder.current, first);
    assert.match(logged.join('\n'), /switched to/);

    // Timers of one delay run in the order they were set: once this one has run, the grace period set by refresh() is
    // over, and the query still holds the old engine.
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal((await first.reader.paragraphs([1])).length, 1, 'open while the query holds it');
    release();
    assert.equal(await query, true);
    assert.equal(usedDuringSwap, first);
    await assert.rejects(first.reader.paragraphs([1]), /not open/, 'closed once the query was done');
    assert.equal((await holder.use((engine) => engine.ask('防汛'))).answered, true);
  });

  it('swaps to an engine whose full-text evidence thresholds were measured at build, for every question size, alike for the same corpus', async () => {
    const measured = holder.current.manifest.fullText;
    assert.deepEqual(measured.evidenceThresholds.map((t) => t.size), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.ok(measured.evidenceThresholds.every((t) => t.threshold >= 0 && t.threshold <= 1));
    assert.ok(measured.evidenceThresholds.some((t) => t.threshold > 0), 'chance questions cover something');
    await buildIndex(config);
    await holder.refresh();
    assert.deepEqual(holder.current.manifest.fullText, measured);
  });

  it('keeps the current engine when nothing changed', async () => {
    const current = holder.current;
    await holder.refresh();
    assert.equal(holder.current, current);
  });
});

describe('EngineHolder without a model', () => {
  it('serves full-text, then loads the model once it is fixed, re-embeds in the background and swaps', async (t) => {
    const model = path.join(tempDir('holder-model', t), 'tiny');
    await writeTestModel(model);
    fs.rmSync(path.join(model, 'onnx'), { recursive: true }); // an interrupted copy: the weights are missing
    const config = testConfig({ CORPUS_DIR: WATER, INDEX_DIR: tempDir('holder-index', t), EMBEDDING_MODEL: model });
    assert.equal((await buildIndex(config)).vectors, null);
    const logged: string[] = [];
    const holder = await EngineHolder.open(config, { pollMs: 60_000, graceMs: 10, log: (line) => logged.push(line), recoverAtOnce: false });
    t.after(() => holder.close());
    assert.equal(holder.current.hasVectors, false);

    await holder.recoverVectors();
    assert.equal(holder.current.hasVectors, false);
    assert.match(logged.join('\n'), /still full-text only/);
    assert.equal((await holder.use((engine) => engine.ask('智慧水表'))).mode, 'lexical');
    // The advice is given once; the next attempt that fails the same way says only why.
    await holder.recoverVectors();
    assert.equal(logged.length, 2, logged.join('\n'));
    assert.ok(logged[0]!.length > logged[1]!.length && logged[0]!.includes(logged[1]!.split('(')[1]!.split(')')[0]!), logged.join('\n'));
    assert.match(logged[1]!, /^model: still full-text only \(.+\); trying again in \d+ s$/);

    await writeTestModel(model);
    await holder.recoverVectors();
    assert.equal(holder.current.hasVectors, true);
    assert.equal((await holder.use((engine) => engine.ask('智慧水表', { mode: 'dense' }))).mode, 'dense');
  });
});
