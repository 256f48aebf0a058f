import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readCorpus } from '../retrieval/ingest/corpus.js';
import { decodeCorpusFile } from '../retrieval/ingest/decode.js';
import { parseDocumentMeta } from '../retrieval/ingest/meta.js';
import { fixtureCorpus, tempDir } from './support/temp.js';

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

  it('decodes UTF-16 with its byte-order mark, little- and big-endian', () => {
    const text = '标题\r\n\r\n市水务局局长林海生:城区自来水普及率达到百分之九十八。\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    for (const [bytes, encoding] of [[le, 'utf-16le'], [Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be']] as const) {
      const decoded = decodeCorpusFile(bytes);
      assert.ok(decoded.ok, encoding);
      assert.equal(decoded.encoding, encoding);
      assert.equal(decoded.text, text, `${encoding}: the text, without the mark`);
    }
  });

  it('refuses empty, binary and undecodable files with a reason', () => {
    assert.deepEqual(decodeCorpusFile(Buffer.alloc(0)), { ok: false, reason: 'the file is empty' });
    assert.match((decodeCorpusFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])) as { reason: string }).reason, /binary/);
    assert.match((decodeCorpusFile(Buffer.from([0xff, 0x30, 0x81, 0x20, 0xfe, 0xff, 0x80])) as { reason: string }).reason, /neither UTF-8 nor GB18030/);
    assert.match((decodeCorpusFile(Buffer.from(' \n\n ')) as { reason: string }).reason, /white space/);
  });
});

describe('reading a corpus folder', () => {
  it('skips bad files with a warning naming each, and still reads the rest, a UTF-16 file too', (t) => {
    const dir = fixtureCorpus(['water-corpus'], t);
    const utf16 = '供水工作座谈会\n\n市水务局局长林海生:今年全市新建改造供水管网一百二十公里。\n';
    fs.writeFileSync(path.join(dir, 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, 'utf16le')]));
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    fs.writeFileSync(path.join(dir, 'image.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    fs.writeFileSync(path.join(dir, 'garbled.txt'), Buffer.from([0xff, 0x30, 0x81, 0x20, 0xfe, 0xff, 0x80]));
    fs.copyFileSync('test/fixtures/gbk-discussion.txt', path.join(dir, 'gbk.txt'));
    const corpus = readCorpus(dir);
    assert.equal(corpus.documents.length, 4);
    const gbk = corpus.documents.find((d) => d.file === 'gbk.txt')!;
    assert.equal(gbk.sections[0]!.speaker?.name, '王爱武');
    assert.equal(gbk.sections[0]!.reporter, '白萍');
    const fromUtf16 = corpus.documents.find((d) => d.file === 'utf16.txt')!;
    assert.equal(fromUtf16.title, '供水工作座谈会');
    assert.deepEqual(fromUtf16.sections[0]!.speaker, { name: '林海生', role: '市水务局局长', attribution: 'label' });
    assert.equal(fromUtf16.sections[0]!.paragraphs[0]!.text, '今年全市新建改造供水管网一百二十公里。');
    for (const file of ['empty.txt', 'image.txt', 'garbled.txt']) {
      assert.ok(corpus.warnings.some((w) => w.startsWith(`${file}: skipped`)), `no warning for ${file}`);
    }
  });

  it('names a missing corpus folder', () => {
    assert.throws(() => readCorpus(path.join(tempDir('nothing'), 'missing')), /Corpus folder .*missing does not exist/);
  });

  it('applies a valid meta file and reports an invalid one by file, field and problem', (t) => {
    const dir = fixtureCorpus(['water-corpus'], t);
    const file = 'water-corpus-001_water.txt';
    fs.writeFileSync(path.join(dir, `${file}.meta.json`), JSON.stringify({
      title: '讨论发言摘要', date: '2020-09-01', source: 'https://example.org/a', sections: [{ index: 2, speaker: { name: '陈雨桐', role: '主任' } }],
    }));
    const other = 'water-corpus-002_parks.txt';
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

  it('takes "speaker": null in a meta file as a section nobody is named for, and leaves the others as parsed', (t) => {
    const dir = fixtureCorpus(['water-corpus'], t);
    const file = 'water-corpus-001_water.txt';
    const parsed = readCorpus(dir).documents.find((d) => d.file === file)!;
    assert.equal(parsed.sections[0]!.speaker?.name, '林海生', 'the parser names a speaker there');
    fs.writeFileSync(path.join(dir, `${file}.meta.json`), JSON.stringify({ sections: [{ index: 1, speaker: null }] }));
    const corpus = readCorpus(dir);
    const document = corpus.documents.find((d) => d.file === file)!;
    assert.equal(document.sections[0]!.speaker, null);
    assert.deepEqual(document.sections.slice(1).map((s) => s.speaker), parsed.sections.slice(1).map((s) => s.speaker));
    assert.deepEqual(document.sections[0]!.paragraphs, parsed.sections[0]!.paragraphs, 'the text is kept');
    assert.deepEqual(corpus.warnings.filter((w) => w.includes('meta')), []);
  });

  it('validates meta files', () => {
    assert.equal(parseDocumentMeta('{').ok, false);
    const result = parseDocumentMeta(JSON.stringify({ sections: [{ index: 0 }] }));
    assert.ok(!result.ok && /sections\.0\.index/.test(result.problem));
  });
});
