/**
 * Downloading a hub model, as a real install does on its first run, against a
 * fake hub on 127.0.0.1 (HF_ENDPOINT) that serves a generated test model: the
 * files land in MODELS_DIR with a progress line per file, load offline
 * afterwards, a stalled download times out and is then finished rather than
 * fetched again, a wrong model id says so, and an unreachable hub gets the
 * advice that helps offline (a mirror, or an air-gapped copy).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadEmbedder } from '../../retrieval/index/embed.js';
import { writeTestModel } from '../../scripts/test-model.js';
import { FakeHub } from '../support/fake-hub.js';
import { tempDir, testConfig } from '../support/temp.js';

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

  it('offline, npm run fetch-model and the start-up note advise a mirror (HF_ENDPOINT) or an air-gapped copy', async () => {
    // A port nothing listens on: the hub cannot be reached, as on a machine without network.
    const closed = net.createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const unreachable = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
    closed.close();
    const env = { ...process.env, EMBEDDING_MODEL: MODEL, MODELS_DIR: tempDir('models'), HF_ENDPOINT: unreachable, ALLOW_REMOTE_MODELS: 'true' };
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/fetch-model.ts'], { env }).then(() => null, (error: { code: number; stderr: string }) => error);
    assert.equal(failed?.code, 1);
    assert.match(failed!.stderr, new RegExp(`^error: Could not fetch "${MODEL}" \\(the hub at ${unreachable} cannot be reached\\)`, 'm'));
    assert.match(failed!.stderr, /set HF_ENDPOINT to a mirror/);
    assert.match(failed!.stderr, /Air-gapped install/);
    assert.doesNotMatch(failed!.stderr, /ALLOW_REMOTE_MODELS=true/, 'already the default: no advice');
    // The note the bot logs at start (and the build's warning) carries the same advice.
    const offline = await loadEmbedder(testConfig({ EMBEDDING_MODEL: MODEL, HF_ENDPOINT: unreachable, ALLOW_REMOTE_MODELS: 'true' }));
    assert.match(!offline.ok ? offline.message : '', /cannot be reached\). Where the hub is blocked, set HF_ENDPOINT to a mirror.*Continuing with full-text search only\.$/);
    // With downloads switched off, switching them on is the advice.
    const forbidden = await loadEmbedder(testConfig({ EMBEDDING_MODEL: MODEL, HF_ENDPOINT: unreachable }));
    assert.match(!forbidden.ok ? forbidden.message : '', /ALLOW_REMOTE_MODELS=false forbids downloading it\)\. Copy a downloaded model there .*or set ALLOW_REMOTE_MODELS=true/);
  });

  it('a model id the hub does not have is named as such', async () => {
    const missing = await loadEmbedder(testConfig({ EMBEDDING_MODEL: 'test-org/no-such-model', HF_ENDPOINT: hub.url, ALLOW_REMOTE_MODELS: 'true' }));
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.message : '', /"test-org\/no-such-model" could not be loaded \(no such model on the Hugging Face hub\)/);
  });
});
