import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { deriveSettings, pseudoQuery, sampleEvenly } from '../retrieval/index/calibrate.js';
import { loadEmbedder } from '../retrieval/index/embed.js';
import { profileFor } from '../retrieval/index/model-profile.js';
import { reciprocalRankFusion } from '../retrieval/search/search-hybrid.js';
import { loadRetrievalConfig } from '../retrieval/config.js';
import { RetrievalError } from '../retrieval/errors.js';
import { writeTestModel, writeXlmrTestModel } from '../scripts/test-model.js';
import { tempDir, testConfig, testModelDir } from './support/temp.js';

describe('model profiles', () => {
  it('knows the E5 prefixes by hub id, not by a name that merely contains "e5"', () => {
    assert.equal(profileFor(['Xenova/multilingual-e5-small'], undefined)?.queryPrefix, 'query: ');
    assert.equal(profileFor(['/tmp/model-e5abc/tiny'], undefined), null);
    // A local copy is matched by the name saved in its config.json (passed as one of its names).
    assert.equal(profileFor(['/srv/models/copy', 'intfloat/multilingual-e5-small'], undefined)?.passagePrefix, 'passage: ');
  });

  it('takes EMBEDDING_PROFILE for an unknown model and rejects a malformed one by name', () => {
    const profile = { queryPrefix: 'q: ', passagePrefix: 'p: ', pooling: 'cls', maxTokens: 64 };
    const config = loadRetrievalConfig({ EMBEDDING_PROFILE: JSON.stringify(profile) });
    assert.deepEqual(profileFor(['any/model'], config.EMBEDDING_PROFILE), profile);
    assert.throws(() => loadRetrievalConfig({ EMBEDDING_PROFILE: '{"pooling":"max"}' }), (error: unknown) =>
      error instanceof RetrievalError && /EMBEDDING_PROFILE/.test(error.message));
  });

  it('uses the profile: prefixes, pooling and window length reach the pipeline', async () => {
    const model = await testModelDir();
    const plain = await loadEmbedder(testConfig({ EMBEDDING_MODEL: model }));
    const profile = { queryPrefix: '问：', passagePrefix: '', pooling: 'cls', maxTokens: 32 };
    const custom = await loadEmbedder(testConfig({ EMBEDDING_MODEL: model, EMBEDDING_PROFILE: JSON.stringify(profile) }));
    assert.ok(plain.ok && custom.ok);
    assert.deepEqual(custom.embedder.profile, profile);
    const [a] = await plain.embedder.embedQueries(['集团化办学']);
    const [b] = await custom.embedder.embedQueries(['集团化办学']);
    assert.notDeepEqual(a, b);
    const windows = (custom.embedder as unknown as { windows(text: string): string[] }).windows('公共服务体系改革。'.repeat(10));
    assert.ok(windows.length > 1);
    // The fingerprint holds the hash of every model file, so the embedding cache keys change with them.
    assert.deepEqual(Object.keys(plain.embedder.fingerprint.files).sort(),
      ['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  });
});

describe('calibration', () => {
  it('makes question-length probes that do not quote the paragraph', () => {
    const text = '我们要加快推进公共服务体系改革，提升基本公共服务能力和水平，让群众得实惠。';
    const probe = pseudoQuery(text)!;
    assert.ok(probe.length >= 5 && probe.length <= 14);
    assert.ok(!text.includes(probe));
    assert.equal(pseudoQuery('很短。'), null);
    assert.deepEqual(sampleEvenly([1, 2, 3, 4, 5, 6], 3), [1, 3, 5]);
  });

  it('gives a model that rarely finds its sources no say, and a reliable one full say', () => {
    assert.equal(deriveSettings(0.3, [0.5]).fusionWeight, 0);
    assert.equal(deriveSettings(0.5, [0.5]).fusionWeight, 0);
    assert.ok(deriveSettings(0.75, [0.5]).fusionWeight > 0.3 && deriveSettings(0.75, [0.5]).fusionWeight < 0.7);
    assert.equal(deriveSettings(0.95, [0.5]).fusionWeight, 1);
    const others = Array.from({ length: 100 }, (_, i) => i / 100);
    assert.equal(deriveSettings(0.9, others).evidenceThreshold, 0.95);
  });

  it('weights each list in rank fusion', () => {
    const lists = (weight: number) => [{ paragraphIds: [1, 2, 3], weight: 1 }, { paragraphIds: [3, 2, 1], weight }];
    assert.deepEqual(reciprocalRankFusion(lists(0)).map((r) => r.paragraphId), [1, 2, 3]);
    assert.equal(reciprocalRankFusion(lists(2))[0]!.paragraphId, 3);
  });
});

describe('model loading that recovers', () => {
  it('tries a failed load again: a broken local model that is fixed loads on the next call', async (t) => {
    const dir = path.join(tempDir('broken-model', t), 'tiny');
    await writeTestModel(dir);
    fs.writeFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'), 'not an onnx file');
    const config = testConfig({ EMBEDDING_MODEL: dir });
    const broken = await loadEmbedder(config);
    assert.equal(broken.ok, false);
    assert.match(!broken.ok ? broken.message : '', /could not be loaded/);
    await writeTestModel(dir);
    const fixed = await loadEmbedder(config);
    assert.ok(fixed.ok, 'the fixed model was not loaded again');
  });
});

describe('the XLM-R-shaped test model (Unigram tokenizer, int8 weights) through the real pipeline', () => {
  const load = async (t: TestContext, overrides: Record<string, string> = {}) => {
    const dir = path.join(tempDir('xlmr', t), 'test-xlmr');
    await writeXlmrTestModel(dir);
    const loaded = await loadEmbedder(testConfig({ EMBEDDING_MODEL: dir, ...overrides }));
    assert.ok(loaded.ok, !loaded.ok ? loaded.message : '');
    const extractor = (loaded.embedder as unknown as { extractor: { tokenizer: { encode(text: string): number[]; model: { vocab: string[] } } } }).extractor;
    const pieces = (text: string) => extractor.tokenizer.encode(text).map((id) => extractor.tokenizer.model.vocab[id]);
    return { embedder: loaded.embedder, pieces, dir };
  };

  it('tokenizes Chinese, English and mixed text with ▁ word starts and <s> … </s>', async (t) => {
    const { pieces, dir } = await load(t);
    assert.deepEqual(pieces('公共服务'), ['<s>', '▁', '公', '共', '服', '务', '</s>']);
    // Unigram picks the whole-word piece where the vocabulary has one.
    assert.deepEqual(pieces('the city'), ['<s>', '▁the', '▁city', '</s>']);
    assert.deepEqual(pieces('公共 service'), ['<s>', '▁', '公', '共', '▁service', '</s>']);
    assert.ok(fs.statSync(path.join(dir, 'onnx', 'model_quantized.onnx')).size < fs.statSync(path.join(dir, 'onnx', 'model.onnx')).size / 2,
      'the quantized model stores int8 weights');
  });

  it('cuts long passages into windows that fit in real tokens, and pools as the profile says', async (t) => {
    const profile = { queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean', maxTokens: 40 };
    const { embedder, pieces } = await load(t, { EMBEDDING_PROFILE: JSON.stringify(profile) });
    const text = '我们要加快推进公共服务体系改革，提升 public service 能力。'.repeat(6);
    const windows = (embedder as unknown as { windows(text: string): string[] }).windows(text);
    assert.ok(windows.length >= 3);
    for (const window of windows) assert.ok(pieces(`passage: ${window}`).length <= 40, `window of ${pieces(window).length} tokens`);
    const [vector] = await embedder.embedPassages([text]);
    assert.ok(Math.abs(Math.hypot(...vector!) - 1) < 1e-4);
    const cls = await load(t, { EMBEDDING_PROFILE: JSON.stringify({ ...profile, pooling: 'cls' }) });
    const [mean] = await embedder.embedQueries(['公共服务体系']);
    const [first] = await cls.embedder.embedQueries(['公共服务体系']);
    assert.notDeepEqual(mean, first);
  });
});
