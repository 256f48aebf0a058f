import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from './support/temp.js';

const run = promisify(execFile);

/** Runs a command-line entry point the way npm does, with the environment given. */
async function cli(script: string, args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      env: { ...process.env, ALLOW_REMOTE_MODELS: 'false', EMBEDDING_MODEL: 'none/none', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('command-line tools', () => {
  const env: Record<string, string> = {};

  before(async () => {
    env.INDEX_DIR = tempDir('cli-index');
    env.MODELS_DIR = tempDir('cli-models');
    const build = await cli('build-index', [], env);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stdout, /documents: {2}5\nsections: {3}\d+\nparagraphs: \d+\nspeakers: {3}\d+/);
    assert.match(build.stderr, /could not be loaded/);
  });

  it('inspect prints the outline with speakers and reporters', async () => {
    const { stdout, code } = await cli('inspect', [], env);
    assert.equal(code, 0);
    assert.match(stdout, /四方面抓好工作落实\n\s+讲话人: 王爱武\(副市长\) \[label\] \| 记者: 白萍 \| 5 段/);
    assert.match(stdout, /在全国体育局长会议上的讲话\n\s+讲话人: 未署名/);
  });

  it('inspect --jsonl prints one object per paragraph with the agreed fields', async () => {
    const { stdout } = await cli('inspect', ['--jsonl'], env);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.ok(rows.length > 500);
    assert.deepEqual(Object.keys(rows[0]), ['paragraphId', 'document', 'section', 'speaker', 'turn', 'reporter', 'text']);
    const row = rows.find((r) => r.text.includes('他们的集团化办学有四种模式'));
    assert.deepEqual(row.speaker, { name: '周泉', role: '市教体局副局长', attribution: 'label' });
    assert.equal(row.reporter, '白萍');
    assert.deepEqual(Object.keys(row.document), ['file', 'title', 'date']);
    assert.ok(rows.every((r) => r.speaker === null || !['白萍', '沈永亮', '江月'].includes(r.speaker.name)));
  });

  it('ask --json answers in the agreed shape; --batch answers every line', async () => {
    const { stdout, code } = await cli('ask', ['--json', '--top', '2', '--mode', 'lexical', '集团化办学有几种模式'], env);
    assert.equal(code, 0);
    const answer = JSON.parse(stdout);
    assert.deepEqual(Object.keys(answer), ['id', 'ms', 'query', 'truncated', 'mode', 'answered', 'evidence', 'searched', 'results']);
    assert.ok(typeof answer.ms === 'number' && answer.ms >= 0, 'each answer says how long it took');
    assert.deepEqual(Object.keys(answer.evidence), ['kind', 'missing', 'found']);
    assert.deepEqual(Object.keys(answer.results[0]), ['rank', 'score', 'paragraphId', 'text', 'speaker', 'reporter', 'section', 'document', 'fragments']);
    assert.equal(answer.results.length, 2);

    const batch = path.join(tempDir('batch'), 'questions.jsonl');
    fs.writeFileSync(batch, '{"id": 1, "q": "养老服务"}\n{"id": "two", "q": ""}\nnot json\n');
    const lines = (await cli('ask', ['--batch', batch], env)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.equal(lines[0].id, 1);
    assert.equal(typeof lines[0].ms, 'number');
    assert.ok(lines[0].results.length > 0);
    assert.match(lines[1].error, /empty/);
    assert.equal(lines[2].line, 3);
    assert.match(lines[2].error, /not valid JSON/);
  });

  it('bad options and unknown speakers get one clear line, not a stack trace', async () => {
    const badMode = await cli('ask', ['--mode', 'fuzzy', '养老'], env);
    assert.equal(badMode.code, 1);
    assert.match(badMode.stderr, /--mode takes one of hybrid, dense, lexical/);
    const speaker = await cli('ask', ['--speaker', '张三', '养老'], env);
    assert.match(speaker.stderr, /^error: No speaker named "张三"/m);
    const config = await cli('ask', ['养老'], { ...env, HNSW_M: 'many' });
    assert.match(config.stderr, /HNSW_M: /);
    assert.doesNotMatch(badMode.stderr + speaker.stderr, /\n\s+at /);
  });

  it('eval scores a question set', async () => {
    const { stdout, code } = await cli('eval', ['../shared/eval/dev.jsonl', '--mode', 'lexical'], env);
    assert.equal(code, 0);
    assert.match(stdout, /\| fact +\| +7 \| +[01]\.\d\d \| +[01]\.\d\d \|/);
  });
});
