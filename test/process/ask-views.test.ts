/**
 * `npm run ask -- --timeline / --speaker-profile / --compare`, with and without --json, on
 * test/fixtures/research-corpus (dates over five years, several speakers); the views themselves are tested in
 * test/research.test.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

describe('the researcher’s views through npm run ask', () => {
  const env: Record<string, string> = {};

  before(async () => {
    Object.assign(env, { CORPUS_DIR: path.resolve('test/fixtures/research-corpus'), INDEX_DIR: tempDir('ask-views-index'), MODELS_DIR: tempDir('ask-views-models') });
    const build = await cli('build-index', [], env);
    assert.equal(build.code, 0, build.stderr);
  });

  it('ask --json --timeline, --speaker-profile and --compare print the views; without --json every page', async () => {
    const line = await cli('ask', ['--json', '--timeline', '养老'], env);
    assert.equal(line.code, 0, line.stderr);
    const view = JSON.parse(line.stdout);
    assert.equal(view.granularity, 'year');
    assert.deepEqual(view.periods.map((p: { period: string; count: number }) => [p.period, p.count]), [['2019', 3], ['2020', 3], ['2021', 5], ['2022', 0], ['2023', 1]]);
    assert.equal(view.undated.count, 1);
    assert.equal(view.periods[0].passages[0].document.date, '2019-03-15');

    const profile = JSON.parse((await cli('ask', ['--json', '--speaker-profile', '黄德明'], env)).stdout);
    assert.equal(profile.kind, 'found');
    assert.deepEqual(profile.roles.map((r: { role: string }) => r.role), ['市民政局局长', '副市长']);
    assert.equal(profile.quotes.length, 3);
    assert.deepEqual(JSON.parse((await cli('ask', ['--json', '--speaker-profile', '刘'], env)).stdout).candidates, ['刘志勇', '刘晓光']);

    const compared = JSON.parse((await cli('ask', ['--json', '--compare', '黄德明', '003', '公园'], env)).stdout);
    assert.deepEqual(compared.sides.map((side: { side: unknown; count: number }) => [side.side, side.count]), [
      [{ kind: 'speaker', name: '黄德明' }, 0], [{ kind: 'source', source: '003' }, 4],
    ]);

    const pages = await cli('ask', ['--timeline', '养老'], env);
    assert.match(pages.stdout, /^Results 11–13 of 13$/m, 'every page');
    const both = await cli('ask', ['--timeline', '--compare', '养老'], env);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /one at a time/);
  });

  it('a view missing its arguments says which, and exits non-zero before opening the index', async () => {
    const noIndex = { ...env, INDEX_DIR: tempDir('ask-views-no-index') };
    const oneSide = await cli('ask', ['--json', '--compare', '黄德明', '养老'], noIndex);
    assert.equal(oneSide.code, 1);
    assert.match(oneSide.stderr, /--compare takes two speakers or sources and a topic, got 2 word/);
    const noTopic = await cli('ask', ['--timeline'], noIndex);
    assert.equal(noTopic.code, 1);
    assert.match(noTopic.stderr, /no topic: npm run ask -- --timeline "topic"/);
  });
});
