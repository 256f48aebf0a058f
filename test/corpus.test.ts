import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readCorpus } from '../retrieval/ingest/corpus.js';
import { decodeCorpusFile } from '../retrieval/ingest/decode.js';
import { parseDocumentMeta } from '../retrieval/ingest/meta.js';
import { copyCorpus, tempDir } from './support/temp.js';

describe('decoding corpus files', () => {
  it('decodes GB18030/GBK text', () => {
    const decoded = decodeCorpusFile(fs.readFileSync('test/fixtures/gbk-discussion.txt'));
    assert.equal(decoded.ok && decoded.encoding, 'gb18030');
    assert.ok(decoded.ok && decoded.text.includes('副市长王爱武:我们要抓好养老服务工作。'));
  });

  it('handles UTF-8 with a BOM and CRLF line ends', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('标题\r\n\r\n副市长王爱武:养老。\r\n', 'utf8')]);
    const decoded = decodeCorpusFile(bytes);
    assert.ok(decoded.ok);
    assert.equal(decoded.encoding, 'utf-8');
    assert.ok(!decoded.text.startsWith('\ufeff'));
  });

  it('refuses empty, binary and undecodable files with a reason', () => {
    assert.deepEqual(decodeCorpusFile(Buffer.alloc(0)), { ok: false, reason: 'the file is empty' });
    assert.match((decodeCorpusFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])) as { reason: string }).reason, /binary/);
    assert.match((decodeCorpusFile(Buffer.from([0xff, 0x30, 0x81, 0x20, 0xfe, 0xff, 0x80])) as { reason: string }).reason, /neither UTF-8 nor GB18030/);
    assert.match((decodeCorpusFile(Buffer.from(' \n\n ')) as { reason: string }).reason, /white space/);
  });
});

describe('reading a corpus folder', () => {
  it('skips bad files with a warning naming each, and still reads the rest', (t) => {
    const dir = copyCorpus(t);
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    fs.writeFileSync(path.join(dir, 'image.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    fs.writeFileSync(path.join(dir, 'garbled.txt'), Buffer.from([0xff, 0x30, 0x81, 0x20, 0xfe, 0xff, 0x80]));
    fs.copyFileSync('test/fixtures/gbk-discussion.txt', path.join(dir, 'gbk.txt'));
    const corpus = readCorpus(dir);
    assert.equal(corpus.documents.length, 6);
    const gbk = corpus.documents.find((d) => d.file === 'gbk.txt')!;
    assert.equal(gbk.sections[0]!.speaker?.name, '王爱武');
    assert.equal(gbk.sections[0]!.reporter, '白萍');
    for (const file of ['empty.txt', 'image.txt', 'garbled.txt']) {
      assert.ok(corpus.warnings.some((w) => w.startsWith(`${file}: skipped`)), `no warning for ${file}`);
    }
  });

  it('names a missing corpus folder', () => {
    assert.throws(() => readCorpus(path.join(tempDir('nothing'), 'missing')), /Corpus folder .*missing does not exist/);
  });

  it('applies a valid meta file and reports an invalid one by file, field and problem', (t) => {
    const dir = copyCorpus(t);
    const file = fs.readdirSync(dir).find((f) => f.startsWith('000_'))!;
    fs.writeFileSync(path.join(dir, `${file}.meta.json`), JSON.stringify({
      title: '讨论发言摘要', date: '2020-09-01', source: 'https://example.org/a', sections: [{ index: 2, speaker: { name: '何传义', role: '主任' } }],
    }));
    const other = fs.readdirSync(dir).find((f) => f.startsWith('003_'))!;
    fs.writeFileSync(path.join(dir, `${other}.meta.json`), JSON.stringify({ date: '1 Sept 2020', colour: 'red' }));
    const corpus = readCorpus(dir);
    const document = corpus.documents.find((d) => d.file === file)!;
    assert.equal(document.title, '讨论发言摘要');
    assert.equal(document.date, '2020-09-01');
    assert.equal(document.sections[1]!.speaker?.role, '主任');
    const warning = corpus.warnings.find((w) => w.startsWith(`${other}.meta.json`));
    assert.match(warning ?? '', /date: must be a date written YYYY-MM-DD/);
    assert.match(warning ?? '', /colour|Unrecognized key/);
  });

  it('validates meta files', () => {
    assert.equal(parseDocumentMeta('{').ok, false);
    const result = parseDocumentMeta(JSON.stringify({ sections: [{ index: 0 }] }));
    assert.ok(!result.ok && /sections\.0\.index/.test(result.problem));
  });
});
