/**
 * Downloading a hub model, as a real install does on its first run, against a
 * fake hub on 127.0.0.1 (HF_ENDPOINT) that serves a generated test model: the
 * files land in MODELS_DIR with a progress line per file, load offline
 * afterwards, a stalled download times out and is then finished rather than
 * fetched again, and a wrong model id says so.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadEmbedder } from '../retrieval/index/embed.js';
import { writeTestModel } from '../scripts/test-model.js';
import { FakeHub } from './support/fake-hub.js';
import { tempDir, testConfig } from './support/temp.js';

const run = promisify(execFile);
const MODEL = 'test-org/tiny-model';
const WEIGHTS = 'onnx/model_quantized.onnx';

describe('model download from the hub (HF_ENDPOINT)', () => {
  let hub: FakeHub;
  let published: string;
  before(async () => {
    published = path.join(tempDir('hub'), 'tiny-model');
    await writeTestModel(published);
    hub = await FakeHub.start(MODEL, published);
  });
  after(() => hub?.close());

  it('npm run fetch-model downloads the files into MODELS_DIR with progress, and they then load offline', async () => {
    const modelsDir = tempDir('models');
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/fetch-model.ts'], {
      env: { ...process.env, EMBEDDING_MODEL: MODEL, MODELS_DIR: modelsDir, HF_ENDPOINT: hub.url, ALLOW_REMOTE_MODELS: 'false' },
    });
    assert.match(stdout, new RegExp(`file: +${WEIGHTS} +sha256 [0-9a-f]{64}`));
    assert.match(stderr, new RegExp(`model file ${WEIGHTS}: ${fs.statSync(path.join(published, WEIGHTS)).size} bytes`));
    for (const file of ['config.json', 'tokenizer.json', WEIGHTS]) {
      assert.deepEqual(fs.readFileSync(path.join(modelsDir, MODEL, file)), fs.readFileSync(path.join(published, file)), file);
    }

    const requestsBefore = hub.requests.length;
    const offline = await loadEmbedder(testConfig({ EMBEDDING_MODEL: MODEL, MODELS_DIR: modelsDir, HF_ENDPOINT: hub.url }));
    assert.ok(offline.ok, !offline.ok ? offline.message : '');
    assert.equal(hub.requests.length, requestsBefore, 'loaded from MODELS_DIR without asking the hub');
  });

  it('a download slower than MODEL_DOWNLOAD_TIMEOUT_MS fails for now; the next attempt finishes it instead of starting over', async () => {
    const config = testConfig({
      EMBEDDING_MODEL: MODEL, MODELS_DIR: tempDir('models'), HF_ENDPOINT: hub.url, ALLOW_REMOTE_MODELS: 'true', MODEL_DOWNLOAD_TIMEOUT_MS: '500',
    });
    const before = hub.requestsFor(WEIGHTS);
    hub.hold(WEIGHTS);
    const stalled = await loadEmbedder(config);
    assert.equal(stalled.ok, false);
    assert.match(!stalled.ok ? stalled.message : '', /timed out after 500 ms \(MODEL_DOWNLOAD_TIMEOUT_MS\)/);

    const retry = loadEmbedder({ ...config, MODEL_DOWNLOAD_TIMEOUT_MS: 60_000 });
    hub.release();
    const loaded = await retry;
    assert.ok(loaded.ok, !loaded.ok ? loaded.message : '');
    assert.equal(hub.requestsFor(WEIGHTS) - before, 1, 'the weights were fetched once');
  });

  it('a model id the hub does not have is named as such', async () => {
    const missing = await loadEmbedder(testConfig({ EMBEDDING_MODEL: 'test-org/no-such-model', HF_ENDPOINT: hub.url, ALLOW_REMOTE_MODELS: 'true' }));
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.message : '', /"test-org\/no-such-model" could not be loaded \(no such model on the Hugging Face hub\)/);
  });
});
