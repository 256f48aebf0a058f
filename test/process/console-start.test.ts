/**
 * `npm start` without a token, as a new user runs it the first time, offline: questions piped in, on a corpus of the
 * test's own (test/fixtures/console-corpus, with a file that is no text). The start-up lines (the build, the model's
 * advice, the corpus warnings) come on stderr before any answer, the advice once; commands are commands, not
 * questions; answers on stdout.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { startScript } from '../support/bot-process.js';
import { tempDir } from '../support/temp.js';

it('npm start offline, first run: builds, says once what to do about the model, shows the corpus warnings, answers piped lines', async (t) => {
  const dir = tempDir('console-start', t);
  const chat = startScript({
    CORPUS_DIR: path.resolve('test/fixtures/console-corpus'),
    INDEX_DIR: path.join(dir, 'index'),
    MODELS_DIR: path.join(dir, 'models'),
    // No hub: a port nothing listens on.
    HF_ENDPOINT: 'http://127.0.0.1:9',
    ALLOW_REMOTE_MODELS: 'true',
    LANG: 'en_US.UTF-8',
  }, 'pipe');
  chat.child.stdin!.end('/help\n公园\nmore\n/sources\nmore\n');
  // The chat ends at the end of its input; a generous bound in case it does not.
  const bound = setTimeout(() => chat.child.kill('SIGKILL'), 120_000);
  const code = await chat.exited;
  clearTimeout(bound);
  assert.equal(code, 0, chat.stderr());

  const logs = chat.stderr();
  assert.match(logs, /missing or older than .*; building it…/);
  assert.equal(logs.match(/set HF_ENDPOINT to a mirror/g)?.length, 1, `the model's advice once:\n${logs}`);
  assert.match(logs, /the hub at http:\/\/127\.0\.0\.1:9 cannot be reached/);
  assert.match(logs, /^warnings: {3}1\n {2}- 006_scan\.txt: /m, 'the corpus warning build-index prints');

  const answers = chat.stdout();
  assert.match(answers, /^Commands$/m, '/help answers with the commands');
  assert.doesNotMatch(answers, /^Q: \/help/m, '/help is no question');
  assert.match(answers, /^Q: 公园\nResults 1–3 of \d+$/m);
  assert.match(answers, /^Q: 公园\nResults 4–6 of \d+$/m, 'more pages the answer');
  assert.match(answers, /nothing more to show/, 'more after /sources');
});
