import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ParsedDocument, Section } from '../retrieval/ingest/document.js';
import { parseDocument } from '../retrieval/ingest/parse.js';
import { parseSpeakerLabel } from '../retrieval/ingest/parse-speaker.js';

/** A frozen copy of the documents first shipped in data/corpus (test/fixtures/seed-corpus/README.md). */
const corpusDir = path.resolve('test/fixtures/seed-corpus');

function parseCorpusFile(prefix: string): ParsedDocument {
  const file = fs.readdirSync(corpusDir).find((name) => name.startsWith(prefix) && name.endsWith('.txt'))!;
  return parseDocument(file, fs.readFileSync(path.join(corpusDir, file), 'utf8'));
}

function allText(document: ParsedDocument): string[] {
  return document.sections.flatMap((section) => section.paragraphs.map((p) => p.text));
}

function sectionBySpeaker(document: ParsedDocument, name: string): Section {
  const section = document.sections.find((s) => s.speaker?.name === name);
  assert.ok(section, `no section by ${name}`);
  return section;
}

describe('speaker labels', () => {
  it('splits role and name, with and without markdown bold', () => {
    assert.deepEqual(parseSpeakerLabel('副市长王爱武:两周时间。')?.speaker, { name: '王爱武', role: '副市长', attribution: 'label' });
    assert.deepEqual(parseSpeakerLabel('市人社局副调研员周晓:连日来。')?.speaker, { name: '周晓', role: '市人社局副调研员', attribution: 'label' });
    assert.deepEqual(parseSpeakerLabel('市委组织部副部长、市人社局局长**聂立新**:通过几天。')?.speaker, {
      name: '聂立新', role: '市委组织部副部长、市人社局局长', attribution: 'label',
    });
    assert.equal(parseSpeakerLabel('市委编办副调研员许长庆:考察无锡市。')?.rest, '考察无锡市。');
  });

  it('does not take reported speech, dates or labels of fields for a speaker', () => {
    assert.equal(parseSpeakerLabel('市委书记强调:要抓好落实。'), null);
    assert.equal(parseSpeakerLabel('发布时间:2021年7月29日15:00'), null);
    assert.equal(parseSpeakerLabel('“三个努力方向”,一是引进人才工作上:要有新突破。'), null);
  });
});

describe('discussion summaries (small fixtures)', () => {
  const fixture = [
    '考察讨论发言摘要', '', '四方面抓好工作落实', '', '副市长王爱武:两周时间,我们赴三地考察。', '',
    '二是强化政务服务事业的载体支', '', '撑,加强人才培养。', '', '全媒体记者 白萍', '',
    '借鉴经验', '', '市委政研室主任何传义:一要压缩小我,不断优化人', '', '抓人才引进', '', '才创新创业环境;要抓培育。', '',
    '全媒体记者 沈永亮', '',
  ].join('\n');
  const document = parseDocument('fixture.txt', fixture);

  it('reads the headline, speaker and reporter of each section; the byline is never the speaker', () => {
    assert.equal(document.title, '考察讨论发言摘要');
    assert.deepEqual(
      document.sections.map((s) => [s.title, s.speaker?.name, s.speaker?.role, s.reporter]),
      [
        ['四方面抓好工作落实', '王爱武', '副市长', '白萍'],
        ['借鉴经验', '何传义', '市委政研室主任', '沈永亮'],
      ],
    );
  });

  it('joins paragraphs split by a page break, even mid-word, and drops pull quotes printed inside them', () => {
    assert.deepEqual(document.sections[0]!.paragraphs.map((p) => p.text), [
      '两周时间,我们赴三地考察。',
      '二是强化政务服务事业的载体支撑,加强人才培养。',
    ]);
    assert.deepEqual(document.sections[1]!.paragraphs.map((p) => p.text), ['一要压缩小我,不断优化人才创新创业环境;要抓培育。']);
  });
});

describe('transcripts (small fixtures)', () => {
  it('makes the host a questioner only in turns where the host asks; a host nobody names is nobody', () => {
    const document = parseDocument('interview.txt', [
      '做客访谈', '主持人:', '各位网友,大家好!今天我们请到了市园林局局长邱子墨.', '主持人:', '今年新建了多少口袋公园?',
      '邱子墨:', '今年新建口袋公园二十个.', '主持人:', '谢谢邱局长.',
    ].join('\n'));
    assert.deepEqual(
      document.sections.map((s) => [s.speaker?.name ?? null, s.turn, s.paragraphs.map((p) => p.text)]),
      [
        [null, null, ['各位网友,大家好!今天我们请到了市园林局局长邱子墨.']],
        [null, 'question', ['今年新建了多少口袋公园?']],
        ['邱子墨', null, ['今年新建口袋公园二十个.']],
        [null, null, ['谢谢邱局长.']],
      ],
    );
    assert.equal(document.sections[2]!.speaker?.role, '市园林局局长');
  });

  it('gives the host label to the person the introduction says hosts', () => {
    const document = parseDocument('interview.txt', [
      '做客访谈', '市广播电台记者龙晓晴主持本期节目。', '主持人:', '各位听众,大家好!今天我们请到了邱局长。', '邱子墨:', '今年新建口袋公园二十个。',
    ].join('\n'));
    assert.deepEqual(document.sections.map((s) => s.speaker?.name ?? null), [null, '龙晓晴', '邱子墨']);
  });

  it('gives unnamed 答 turns to the person the introduction names as answering; 问 turns name nobody', () => {
    const document = parseDocument('qa.txt', [
      '就新办法答记者问', '近日,市园林局局长邱子墨就公园建设回答了记者提问.', '问:口袋公园建在哪里?', '答:建在老城区.', '优先补齐缺口.',
    ].join('\n'));
    assert.deepEqual(
      document.sections.map((s) => [s.speaker?.name ?? null, s.speaker?.role ?? null, s.turn, s.paragraphs.length]),
      [[null, null, null, 1], [null, null, 'question', 1], ['邱子墨', '市园林局局长', null, 2]],
    );
  });

  it('dates a document by the date its title opens with when no other line dates it', () => {
    const text = '2021年5月10日市政府新闻发言人欧阳慧敏主持例行新闻发布会\n\n问：今年报名人数多少？\n\n答：超过十二万。\n';
    assert.equal(parseDocument('briefing.txt', text).date, '2021-05-10');
    assert.equal(parseDocument('dated.txt', `发布时间：2021-05-11 09:00\n${text}`).date, '2021-05-11');
  });

  it('reads a Markdown heading without its marks', () => {
    assert.equal(parseDocument('md.txt', '# 发言摘要\n\n副市长王爱武:两周时间,我们赴三地考察.').title, '发言摘要');
  });
});

describe('news text (small fixtures)', () => {
  const speakersOf = (text: string) =>
    parseDocument('news.txt', text).sections.flatMap((s) => s.paragraphs.map(() => s.speaker && [s.speaker.name, s.speaker.attribution]));

  it('marks the people a news paragraph opens by reporting as reported; narration stays unsigned', () => {
    const meeting = '全市防汛工作会议召开\n7月2日，全市防汛工作会议召开。\n市水利局局长庞立群表示，要压实责任。\n据了解，汛期已至。';
    assert.deepEqual(speakersOf(meeting), [null, ['庞立群', 'reported'], null]);
    const feature = '巡河人的一天\n清晨六点，巡河员已经出发。\n市水利局局长庞立群表示，巡河员是河道的眼睛。';
    assert.deepEqual(speakersOf(feature), [null, ['庞立群', 'reported']]);
  });

  it('never takes a speech quoting someone for a turn of theirs', () => {
    const speech = [
      '在全区林业工作会议上的讲话', '我们今年要把护林工作抓得更实。', '我们必须看到，山林防火的压力还很大。',
      '习近平总书记指出，绿水青山就是金山银山。', '我们要把这句话落到每一片山林。',
    ].join('\n');
    assert.deepEqual(speakersOf(speech), [null, null, null, null]);
  });
});

describe('noise', () => {
  it('removes continuation marks, site furniture, spam and indentation, and keeps quotes verbatim', () => {
    const document = parseDocument('noise.txt', [
      '标题', '', '\u3000\u3000(上接第一版)望江县蔬菜基地受淹。“我们损失不大。”', '', '扫一扫在手机上查看当前页面', '',
      '文章代写:13258028938(同微信)', '上一篇: [心得体会]', '\u00a0\u00a0经济实力 and 人才队伍,值得借鉴。',
    ].join('\r\n'));
    assert.deepEqual(allText(document), ['望江县蔬菜基地受淹。“我们损失不大。”', '经济实力 and 人才队伍,值得借鉴。']);
  });

  it('warns about pinyin a script converter left in brackets after characters, naming the line', () => {
    const document = parseDocument('converted.txt', '標題\n\n外交部發(fā)言人某某主持例行記者會(huì)。\n\n中方對此表示歡迎。\n');
    assert.equal(document.warnings.length, 1);
    assert.match(document.warnings[0]!, /^1 line\(s\) carry pinyin .*line 3: 發\(fā\)/);
    assert.deepEqual(parseDocument('clean.txt', '標題\n\n中方(China)對此表示歡迎。\n').warnings, []);
  });

  it('drops a passage printed twice, including a truncated copy', () => {
    const document = parseDocument('dup.txt', '标题\n\n洪水虽退,水利短板如何补齐?各地加快建设。\n\n全媒体记者 江月\n\n洪水虽退,水利短板如何补齐?各\n');
    assert.deepEqual(allText(document), ['洪水虽退,水利短板如何补齐?各地加快建设。']);
  });
});

describe('the real corpus', () => {
  it('000: every discussion section has its speaker and reporter; news articles follow without a speaker', () => {
    const document = parseCorpusFile('000_');
    const expected = [
      ['王爱武', '副市长', '白萍'], ['何传义', '市委政研室主任', '沈永亮'], ['许长庆', '市委编办副调研员', '沈永亮'],
      ['潘利宜', '市财政局副调研员', '白萍'], ['周晓', '市人社局副调研员', '白萍'], ['周泉', '市教体局副局长', '白萍'],
      ['张贤惜', '市卫健委副主任', '沈永亮'], ['王战文', '市民政局副局长', '沈永亮'], ['沈军', '市卫生监督处主任', '沈永亮'],
    ];
    const speakers = document.sections.filter((s) => s.speaker);
    assert.deepEqual(speakers.map((s) => [s.speaker!.name, s.speaker!.role, s.reporter]), expected);
    const news = document.sections.filter((s) => !s.speaker);
    assert.ok(news.length >= 3);
    assert.equal(news[0]!.title, '水退人进恢复生产保民生');
    const reporters = new Set(document.sections.map((s) => s.reporter));
    for (const section of document.sections) assert.ok(!section.speaker || !reporters.has(section.speaker.name));
  });

  it('000: joins paragraphs broken by page breaks', () => {
    const text = allText(parseCorpusFile('000_'));
    // A paragraph cut by a page break after a comma is one paragraph again, not two.
    const joined = text.find((t) => t.startsWith('二是加强学习谋划'));
    assert.ok(joined?.includes('抓主抓重,紧密联系实际,具有可操作性。'), String(joined));
    assert.ok(!text.some((t) => t.startsWith('紧密联系实际')));
    assert.ok(text.some((t) => t.includes('这些都值得我们借鉴和学习。')));
    assert.ok(text.some((t) => t.includes('我市已拥有进境粮食指定口岸')));
    assert.ok(!text.some((t) => t.startsWith('(上接第一版)')));
  });

  it('003: bold-marked names, compound roles, and pull quotes inside broken paragraphs', () => {
    const document = parseCorpusFile('003_');
    assert.equal(document.sections.length, 14);
    assert.ok(document.sections.every((s) => s.speaker && s.reporter));
    assert.deepEqual(sectionBySpeaker(document, '聂立新').speaker?.role, '市委组织部副部长、市人社局局长');
    assert.equal(sectionBySpeaker(document, '黄震').speaker?.role, '安庆经开区党工委委员、管委会副主任');
    const text = allText(document);
    assert.ok(text.some((t) => t.includes('一是引进人才工作上,要有新突破。')));
    assert.ok(text.some((t) => t.includes('不断优化人才创新创业环境;')));
    assert.ok(text.some((t) => t.includes('为产业发展提供技术支持;三是在全市营造创新氛围')));
    assert.ok(!text.includes('抓人才引进'));
  });

  it('001: press conference header gives date and source; each theme is attributed to its 发布人, marked as inferred', () => {
    const document = parseCorpusFile('001_');
    assert.equal(document.layout, 'press-conference');
    assert.equal(document.date, '2021-08-02');
    assert.equal(document.source, '鄂州政府网');
    const themes = document.sections.filter((s) => s.speaker);
    assert.deepEqual(themes.map((s) => [s.speaker!.name, s.speaker!.role, s.speaker!.attribution]), [
      ['游惠民', '市委办公室副主任', 'header-list'], ['邵元林', '市委组织部副部长', 'header-list'],
      ['吴宏发', '市发改委党组成员、副主任', 'header-list'], ['万福尧', '市卫健委党组书记、主任', 'header-list'],
    ]);
    assert.ok(!allText(document).some((t) => /^(邵立春|发布主题|扫一扫)/.test(t)));
  });

  it('002: aligns untitled speech bodies with the table of contents and drops the spam', () => {
    const document = parseCorpusFile('002_');
    assert.equal(document.layout, 'compilation');
    assert.ok(document.sections.length < 59);
    assert.ok(document.sections.every((s) => s.speaker === null));
    const sport = document.sections.find((s) => s.title === '在全国体育局长会议上的讲话')!;
    assert.ok(sport.paragraphs.some((p) => p.text.includes('体育')));
    const taiwan = document.sections.find((s) => s.title === '在第十五届台商论坛上的致辞')!;
    assert.ok(taiwan.paragraphs.some((p) => p.text.includes('台商论坛')));
    const proposals = document.sections.find((s) => s.title === '在市政协十一届二十二次常委会议上的讲话')!;
    assert.ok(proposals.paragraphs.some((p) => p.text.includes('创新三项机制,进一步增强提案工作活力')));
    const text = allText(document);
    assert.ok(!text.some((t) => /文章代写|上一篇|同志们:$/.test(t)));
  });

  it('004: numbered themes and headlines title the sections; quoted people are not speakers', () => {
    const document = parseCorpusFile('004_');
    assert.deepEqual(document.sections.map((s) => s.reporter), ['牛思明', '李婧瑜', '牛步云 黄亚楠', '牛步云 黄亚楠', '贺 瑛']);
    assert.ok(document.sections.every((s) => s.speaker === null));
    assert.equal(document.sections[0]!.title, '6.以人为核心的新型城镇化战略 · 安居民富景象新');
    assert.ok(document.sections[0]!.paragraphs.some((p) => p.heading === '老旧小区展新颜'));
    assert.ok(!allText(document).includes('老旧小区展新颜'));
  });
});
