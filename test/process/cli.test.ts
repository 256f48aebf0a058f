import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { cli } from '../support/cli.js';
import { paragraphCount, tempDir } from '../support/temp.js';

/** The tools run on the water fixture corpus and its questions, plus one speech nobody signed. */
const WATER = path.resolve('test/fixtures/water-corpus');
const QUESTIONS = path.resolve('test/fixtures/water-questions.jsonl');
const UNSIGNED = '在全市节水工作会议上的讲话\n\n同志们:今年要把节水型城市建设作为重点,年内完成节水改造小区三十个。\n';
/** A short press Q&A: a reporter's question and an answer. */
const QUESTION_AND_ANSWER = '节水工作答记者问\n\n新华社记者:今年的节水目标是多少?\n\n林海生:今年要节约用水一千万吨。\n';

describe('command-line tools', () => {
  const env: Record<string, string> = {};

  before(async () => {
    env.CORPUS_DIR = tempDir('cli-corpus');
    fs.cpSync(WATER, env.CORPUS_DIR, { recursive: true });
    fs.writeFileSync(path.join(env.CORPUS_DIR, '003_saving.txt'), UNSIGNED);
    fs.writeFileSync(path.join(env.CORPUS_DIR, '004_answers.txt'), QUESTION_AND_ANSWER);
    env.INDEX_DIR = tempDir('cli-index');
    env.MODELS_DIR = tempDir('cli-models');
    const build = await cli('build-index', [], env);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stdout, new RegExp(`documents: {2}4\nsections: {3}\\d+\nparagraphs: ${paragraphCount(env.CORPUS_DIR)}\nspeakers: {3}\\d+`));
    assert.match(build.stderr, /could not be loaded/);
  });

  it('inspect prints the outline with speakers and reporters', async () => {
    const { stdout, code } = await cli('inspect', [], env);
    assert.equal(code, 0);
    assert.match(stdout, /城市供水与防汛工作座谈会发言摘要\n.*\n\s+1\. .*\n\s+讲话人: 林海生\(市水务局局长\) \[label\] \| 记者: 张明 \| 2 段/);
    assert.match(stdout, /在全市节水工作会议上的讲话\n(.*\n)*?\s+讲话人: 未署名/);
  });

  it('inspect --jsonl prints one object per paragraph with the agreed fields', async () => {
    const { stdout } = await cli('inspect', ['--jsonl'], env);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(rows.length, paragraphCount(env.CORPUS_DIR!));
    assert.deepEqual(Object.keys(rows[0]), ['paragraphId', 'document', 'section', 'speaker', 'turn', 'reporter', 'text']);
    const row = rows.find((r) => r.text.includes('新建雨水泵站四座'));
    assert.deepEqual(row.speaker, { name: '陈雨桐', role: '市应急管理局副局长', attribution: 'label' });
    assert.equal(row.reporter, '张明');
    assert.deepEqual(Object.keys(row.document), ['file', 'title', 'date']);
    assert.equal(rows.find((r) => r.text.includes('节水改造小区')).speaker, null);
    // A reporter's question is asked, not said: no speaker, its reporter the asker.
    const question = rows.find((r) => r.text.includes('今年的节水目标'));
    assert.deepEqual([question.speaker, question.turn, question.reporter], [null, 'question', '新华社记者']);
    assert.equal(rows.find((r) => r.text.includes('一千万吨')).speaker.name, '林海生');
    const reporters = new Set(['张明', '李静', '王芳']);
    assert.deepEqual(rows.filter((r) => reporters.has(r.speaker?.name)), []);
  });

  it('ask --json answers in the agreed shape; --batch answers every line', async () => {
    const { stdout, code } = await cli('ask', ['--json', '--top', '2', '--mode', 'lexical', '城区自来水普及率达到多少'], env);
    assert.equal(code, 0);
    const answer = JSON.parse(stdout);
    assert.deepEqual(Object.keys(answer), ['id', 'ms', 'query', 'truncated', 'mode', 'answered', 'evidence', 'searched', 'results']);
    assert.ok(typeof answer.ms === 'number' && answer.ms >= 0, 'each answer says how long it took');
    assert.deepEqual(Object.keys(answer.evidence), ['kind', 'missing', 'found']);
    assert.deepEqual(Object.keys(answer.results[0]), ['rank', 'score', 'paragraphId', 'text', 'speaker', 'reporter', 'section', 'document', 'fragments']);
    assert.equal(answer.results.length, 2);
    assert.match(answer.results[0].text, /城区自来水普及率达到百分之九十八/);

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
    // Three processes at once: each start spends most of its time loading, not searching.
    const [badMode, speaker, config] = await Promise.all([
      cli('ask', ['--mode', 'fuzzy', '养老'], env),
      cli('ask', ['--speaker', '张三', '养老'], env),
      cli('ask', ['养老'], { ...env, HNSW_M: 'many' }),
    ]);
    assert.equal(badMode.code, 1);
    assert.match(badMode.stderr, /--mode takes one of hybrid, dense, lexical/);
    assert.match(speaker.stderr, /^error: No speaker named "张三"/m);
    assert.match(config.stderr, /HNSW_M: /);
    assert.doesNotMatch(badMode.stderr + speaker.stderr, /\n\s+at /);
  });

  it('eval scores a question set: the water questions are all found, and the unanswerable ones abstained from', async () => {
    const { stdout, code } = await cli('eval', [QUESTIONS, '--mode', 'lexical'], env);
    assert.equal(code, 0);
    assert.match(stdout, /^mode: lexical, 13 questions$/m);
    assert.match(stdout, /^\| fact +\| +2 \| +1\.00 \| +1\.00 \| +1\.00 \|/m);
    assert.match(stdout, /^\| none +\| +3 \| .*\| +1\.00 +\| +– +\|$/m);
    assert.match(stdout, /^\| all +\| +10 \| +\d\.\d\d \| +1\.00 \|/m);
  });
});
