/**
 * `npm start` after the corpus changed: the index is rebuilt before the first answer, so a question about the new
 * file is answered from it (the console chat, questions piped in, offline, on a copy of the water fixtures).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { buildIndex } from '../../retrieval/api.js';
import { startScript } from '../support/bot-process.js';
import { fixtureCorpus, tempDir, testConfig } from '../support/temp.js';

it('npm start rebuilds the index when a corpus file was added, then answers from the new file', async (t) => {
  const config = testConfig({ CORPUS_DIR: fixtureCorpus(['water-corpus'], t), INDEX_DIR: tempDir('start-index', t), EMBEDDING_MODEL: 'none/none' });
  await buildIndex(config);
  fs.writeFileSync(path.join(config.CORPUS_DIR, 'new.txt'), '城市管理工作会议\n\n市城管局局长方志远:地下综合管廊的巡检机器人已覆盖全部十二公里廊道。\n');
  const chat = startScript({
    CORPUS_DIR: config.CORPUS_DIR, INDEX_DIR: config.INDEX_DIR, MODELS_DIR: config.MODELS_DIR,
    EMBEDDING_MODEL: 'none/none', ALLOW_REMOTE_MODELS: 'false',
  }, 'pipe');
  t.after(() => chat.stop('SIGKILL'));
  chat.child.stdin!.end('巡检机器人覆盖了多少公里\n');
  assert.equal(await chat.exited, 0, chat.stderr());
  assert.match(chat.stderr(), /older than .*building it/, 'the start says why it builds');
  assert.match(chat.stdout(), /地下综合管廊的巡检机器人已覆盖全部十二公里廊道/);
  assert.match(chat.stdout(), /方志远/);
});
