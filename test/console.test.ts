import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { buildIndex } from '../retrieval/index/build.js';
import { startScript } from './support/bot-process.js';
import { tempDir, testConfig } from './support/temp.js';

describe('npm start without a token: the console chat', () => {
  const env: Record<string, string> = {};

  before(async () => {
    const config = testConfig({ CORPUS_DIR: path.resolve('data/corpus'), INDEX_DIR: tempDir('console-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    Object.assign(env, { CORPUS_DIR: config.CORPUS_DIR, INDEX_DIR: config.INDEX_DIR, MODELS_DIR: config.MODELS_DIR });
    Object.assign(env, { EMBEDDING_MODEL: 'none/none', ALLOW_REMOTE_MODELS: 'false', LANG: 'zh_CN.UTF-8' });
  });

  it('answers each piped line in plain text and exits at the end of input', async () => {
    const started = startScript(env, 'pipe');
    started.child.stdin!.end('宁波和无锡的集团化办学有几种模式?\n\n养老服务\n');
    const code = await started.exited;
    const out = started.stdout();
    assert.equal(code, 0, started.stderr());
    assert.match(out, /TELEGRAM_BOT_TOKEN/, 'says how to set a token');
    assert.match(out, /@BotFather/);
    assert.ok(out.indexOf('TELEGRAM_BOT_TOKEN') < out.indexOf('问:'), 'the token hint comes first');

    const [first, second] = out.split(/^问:/m).slice(1);
    assert.ok(first && second, out);
    assert.ok(first.includes('「二是模式多样化。他们的集团化办学有四种模式:单一法人下的多学校(校区)模式'), first);
    assert.ok(first.includes('— 周泉(市教体局副局长) · 《促进集团化办学健康有序发展》 · 《市党政考察团赴上海宁波无锡考察教育卫健养老工作之讨论发言摘要》 · 日期不详'));
    assert.ok(second.startsWith('养老服务'));
    assert.ok(second.includes('— 王战文(市民政局副局长)'), second);
    assert.doesNotMatch(out, /<\/?(b|blockquote)>/, 'plain text, no HTML');
  });

  it('explains a question without words instead of failing', async () => {
    const started = startScript({ ...env, LANG: 'en_US.UTF-8' }, 'pipe');
    started.child.stdin!.end('?!…\n');
    assert.equal(await started.exited, 0);
    assert.match(started.stdout(), /no words to search for/);
  });
});
