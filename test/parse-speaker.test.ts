/** Speaker labels, name lines, reported speech and metadata lines, in full-width and half-width forms. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMetadataLine } from '../retrieval/ingest/parse-metadata.js';
import { answererNamedIn } from '../retrieval/ingest/parse-answerer.js';
import { DocumentContext, mentionsIn } from '../retrieval/ingest/document-context.js';
import { readReportedOpening } from '../retrieval/ingest/parse-reported.js';
import { parseNameLine, parseSpeakerLabel } from '../retrieval/ingest/parse-speaker.js';
import { isPersonName, nameEvidence } from '../retrieval/ingest/person-name.js';
import { nameIn, readPersonPhrase, roleIn, roleMentionedFor } from '../retrieval/ingest/person-phrase.js';
import { shadowed, shadowOf } from '../retrieval/ingest/shadow.js';

/** The person a paragraph opens by reporting, as name and role, or the kind of subject it reports. */
const reported = (text: string) => {
  const subject = readReportedOpening(text);
  if (subject?.kind !== 'person') return subject?.kind ?? null;
  return [subject.speaker.name, subject.speaker.role];
};

describe('the shadow of a line', () => {
  it('folds width and script character for character, so offsets stay the same', () => {
    assert.equal(shadowOf('行政長官：我們會繼續努力。'), '行政长官:我们会继续努力。');
    assert.equal(shadowOf('市长\u3000王某某\u00a0（副）'), '市长 王某某 (副)');
    for (const text of ['記者：請問', '１２３ＡＢＣ，', '臺灣發言人']) assert.equal(shadowOf(text).length, text.length);
  });
});

describe('person names', () => {
  it('grades the evidence a string alone gives: a name, possibly a name (the document must vouch), or none', () => {
    const graded = (text: string) => nameEvidence(text);
    for (const name of ['习近平', '米锋', '逄立军', '宓新民', '林郑月娥', '欧阳明远']) assert.equal(graded(name), 'name', name);
    // Words that start with a surname: only a role before them or a name line makes them names.
    for (const word of ['吉林', '江山', '国家']) assert.equal(graded(word), 'possible', word);
    // A surname that is also a preposition, before a common word, reads as the preposition (`局长于行政会议前`).
    for (const phrase of ['于行政', '向社会']) assert.equal(graded(phrase), 'possible', phrase);
    for (const name of ['于建国', '于洪君']) assert.equal(graded(name), 'name', name);
    // Verbs, organisations, forms of address and titles after a surname are never names.
    for (const text of ['宣布', '呼吁', '国务院', '姚大伯', '刘医生', '蔡总统', '强调不会', '多谢']) assert.equal(graded(text), 'none', text);
  });

  it('accepts surnames with given names, including compound surnames and transliterations', () => {
    for (const name of ['高晓力', '林小峰', '欧阳明远', '郑志远', '阿不都·热合曼']) assert.ok(isPersonName(name), name);
  });
  it('rejects ordinary words and phrases that begin with a surname character', () => {
    for (const text of ['会议', '我们', '主持人', '同志们', '发展', '高质量', '孙中山先生说过', '七十年的历史告诉我们']) {
      assert.equal(isPersonName(text), false, text);
    }
  });
});

describe('speaker labels', () => {
  it('reads role+name, name(role), bold and name-only labels with either colon', () => {
    assert.deepEqual(parseSpeakerLabel('市住房城乡建设局局长韩立群：今年改造小区。')?.speaker, { name: '韩立群', role: '市住房城乡建设局局长', attribution: 'label' });
    assert.deepEqual(parseSpeakerLabel('韩立群（市住房城乡建设局局长）：今年改造小区。')?.speaker, { name: '韩立群', role: '市住房城乡建设局局长', attribution: 'label' });
    assert.deepEqual(parseSpeakerLabel('市发展改革委主任**林小峰**:今年。')?.speaker, { name: '林小峰', role: '市发展改革委主任', attribution: 'label' });
    assert.deepEqual(parseSpeakerLabel('林小峰：谢谢你的提问。')?.speaker, { name: '林小峰', role: null, attribution: 'label' });
  });
  it('reads a label alone on its line, and marks reporters as askers and the host as host', () => {
    assert.deepEqual(parseSpeakerLabel('林小峰：'), { speaker: { name: '林小峰', role: null, attribution: 'label' }, role: null, rest: '', turn: 'statement' });
    assert.deepEqual(parseSpeakerLabel('路透社记者：'), { speaker: { name: '路透社记者', role: null, attribution: 'label' }, role: null, rest: '', turn: 'question' });
    assert.equal(parseSpeakerLabel('记者：请问今年的目标是什么？')?.turn, 'question');
    // A role without a name names nobody: the document may say who holds it (document-context.ts).
    assert.deepEqual(parseSpeakerLabel('主持人:'), { speaker: null, role: '主持人', rest: '', turn: 'host' });
  });
  it('reads 问/答 as turns that name nobody', () => {
    assert.deepEqual(parseSpeakerLabel('问：改革什么时候开始实施？'), { speaker: null, role: null, rest: '改革什么时候开始实施？', turn: 'question' });
    assert.deepEqual(parseSpeakerLabel('答:实施办法自今年3月1日起施行.'), { speaker: null, role: null, rest: '实施办法自今年3月1日起施行.', turn: 'answer' });
  });
  it('never takes quotations, sentences or headlines for labels', () => {
    for (const text of ['孙中山先生说过：“天下为公。”', '七十年的历史告诉我们：', '刘某某：收集60多种废旧药盒问诊', '会议指出：要加强。', '一是：加强', '主持人：林晓  市政府新闻办副主任']) {
      assert.equal(parseSpeakerLabel(text), null, text);
    }
  });
});

describe('name lines and reported speech', () => {
  it('reads role and name separated by spaces, U+3000 or NBSP, in either order, and a name alone', () => {
    assert.deepEqual(parseNameLine('某某大学法学院院长  郑志远'), { name: '郑志远', role: '某某大学法学院院长', attribution: 'byline' });
    assert.deepEqual(parseNameLine('最高人民法院民四庭副庭长\u3000高晓力')?.name, '高晓力');
    assert.deepEqual(parseNameLine('韩立群\u00a0\u00a0市住房城乡建设局局长')?.role, '市住房城乡建设局局长');
    assert.deepEqual(parseNameLine('郑志远'), { name: '郑志远', role: null, attribution: 'byline' });
    assert.equal(parseNameLine('推进法学教育改革'), null);
  });
  it('reads the person a news paragraph reports, with the role before the name', () => {
    assert.deepEqual(reported('市委书记赵建国表示，要学习。'), ['赵建国', '市委书记']);
    assert.deepEqual(reported('李明在会上指出：要加强。'), ['李明', null]);
    assert.equal(reported('会议指出，要加强。'), null);
  });
  it('reads reports after a dateline or a leading phrase, with adverbs and a phrase between person and verb', () => {
    assert.deepEqual(reported('新华社北京3月7日电 省农业厅厅长卜某某7日在开幕式上指出，要走特色化的路子。'), ['卜某某', '省农业厅厅长']);
    assert.deepEqual(reported('会上，研究员晏国梁还表示，要注意防寒。'), ['晏国梁', '研究员']);
    assert.deepEqual(reported('作为市人大代表，热力公司职工寿春华认为时限可以再缩短。'), ['寿春华', '热力公司职工']);
    assert.deepEqual(reported('据市供热办主任巫晓云介绍，今年将开通热线。'), ['巫晓云', '市供热办主任']);
    assert.deepEqual(reported('刘家强委员代表民革中央发言说，我们由衷钦佩。'), ['刘家强', '委员']);
    assert.deepEqual(reported('企业家代表暨晓峰在发言中说，企业最需要稳定的预期。'), ['暨晓峰', '企业家代表']);
  });
  it('reads pronouns and roles for the document to resolve, in either script, and leaves narration alone', () => {
    assert.equal(reported('他并表示，明年将新增预算。'), 'pronoun');
    assert.equal(reported('她還表示，明年將新增預算。'), 'pronoun');
    assert.equal(reported('院長致詞時表示，地方創生的關鍵在人。'), 'role');
    assert.equal(reported('市长宣布：旅游节正式开幕！'), 'role');
    for (const text of ['王某某说明了情况。', '近日，市园林局局长邱子墨就公园建设回答了记者提问。', '文件要求，各地要落实。', '随即，邱子墨就记者提出的问题作了回答。']) {
      assert.equal(reported(text), null, text);
    }
  });
  it('reads a person phrase: role and name, name and title, a title inside the name', () => {
    const read = (text: string) => {
      const phrase = readPersonPhrase(text, { label: true })!;
      return [nameIn(text, phrase), roleIn(text, phrase)];
    };
    assert.deepEqual(read('国务院总理 李克强'), ['李克强', '国务院总理']);
    assert.deepEqual(read('何启明议员'), ['何启明', '议员']);
    assert.deepEqual(read('立法会主席梁君彦议员'), ['梁君彦', '立法会主席']);
    assert.deepEqual(read('柯委员建铭'), ['柯建铭', '委员']);
  });
  it('reads labels in brackets, after a dash, and labels that give only a role', () => {
    assert.deepEqual(parseSpeakerLabel('【主持人 龔艷春】女士們、先生們，上午好。')?.speaker, { name: '龔艷春', role: '主持人', attribution: 'label' });
    assert.equal(parseSpeakerLabel('[李某某]:')?.speaker?.name, '李某某');
    assert.equal(parseSpeakerLabel('- 郭衛民:')?.speaker?.name, '郭衛民');
    assert.deepEqual(parseSpeakerLabel('行政長官：多謝你的問題。'), { speaker: null, role: '行政長官', rest: '多謝你的問題。', turn: 'statement' });
    assert.equal(parseSpeakerLabel('【财新网】十三届全国人大三次会议开幕会今天举行。'), null);
    assert.equal(parseSpeakerLabel('群众：他可以代表我们。')?.speaker, null);
  });
  it('resolves a role to the one person the title, lead or header names with it', () => {
    const context = DocumentContext.read('2023年3月8日市政府新闻发言人欧阳慧敏主持例行新闻发布会', []);
    assert.deepEqual(context.titleSpeaker(), { name: '欧阳慧敏', role: '市政府新闻发言人', attribution: 'title' });
    assert.equal(context.holderOf('发言人')?.name, '欧阳慧敏');
    assert.equal(context.holderOf('市长'), null);
    assert.deepEqual(
      mentionsIn(shadowed('蔡英文總統今（26）日上午出席頒獎典禮'), 'lead').map((mention) => [mention.name, mention.role]),
      [['蔡英文', '總統']],
    );
  });
  it('finds the role a document gives a person elsewhere', () => {
    assert.equal(
      roleMentionedFor('付凌晖', '出席发布会的有国家统计局新闻发言人、国民经济综合统计司司长付凌晖，介绍情况。'),
      '国家统计局新闻发言人、国民经济综合统计司司长',
    );
  });
  it('prefers the office an introduction gives over the description in an interview subtitle', () => {
    const text = '——访水利专家姜文韬\n记者专访了省水利科学研究院副院长姜文韬，请他谈谈。';
    assert.equal(roleMentionedFor('姜文韬', text), '省水利科学研究院副院长');
    assert.equal(roleMentionedFor('姜文韬', '——访水利专家姜文韬'), '水利专家');
  });
});

describe('the answerer of a written Q&A', () => {
  it('is the person the introduction names with a role and says answers', () => {
    assert.deepEqual(answererNamedIn(['近日，我市出台新办法。市人力资源社会保障局局长龚振宇就群众关心的问题回答了记者提问。']), {
      name: '龚振宇', role: '市人力资源社会保障局局长', attribution: 'label',
    });
    assert.equal(answererNamedIn(['副市长石岚主持召开会议。会后，市交通运输局局长庞立群接受了本报记者专访。'])?.name, '庞立群');
  });
  it('reads traditional script, and takes the only person the first paragraph names with a role', () => {
    assert.equal(answererNamedIn(['近日，市衛生健康委員會主任龔振宇介紹了新規定。'])?.name, '龔振宇');
    // A later paragraph is the answerer's own statement: the people it names (`应某国总理…邀请`) answer nothing.
    assert.equal(answererNamedIn(['本周例行记者会照常举行。', '应邻国总理钱立川邀请，代表团将出访。']), null);
  });
  it('is nobody when the introduction names no one, or several people without saying who answers', () => {
    assert.equal(answererNamedIn(['国家发展改革委有关负责人就《办法》答记者问。']), null);
    assert.equal(answererNamedIn(['副市长石岚、市交通运输局局长庞立群出席会议。']), null);
  });
});

describe('metadata lines', () => {
  it('reads dates and sources in the common forms, full-width or half-width', () => {
    assert.deepEqual(readMetadataLine('发布时间：2019-10-17 08:55:29'), { date: '2019-10-17', source: null });
    assert.deepEqual(readMetadataLine('2016-12-14 10:31:57\u3000来源：某某网'), { date: '2016-12-14', source: '某某网' });
    // Taiwan's Republic of China calendar: year 112 is 2023.
    assert.deepEqual(readMetadataLine('112年09月18日'), { date: '2023-09-18', source: null });
    assert.deepEqual(readMetadataLine('民國109年7月3日'), { date: '2020-07-03', source: null });
    assert.deepEqual(readMetadataLine('信息来源:某某政府网 日期:2021-08-02'), { date: '2021-08-02', source: '某某政府网' });
    assert.deepEqual(readMetadataLine('（2021年10月9日）'), { date: '2021-10-09', source: null });
    assert.deepEqual(readMetadataLine('（二〇二一年十月九日）'), { date: '2021-10-09', source: null });
    assert.deepEqual(readMetadataLine('一九九六年一月二十一日'), { date: '1996-01-21', source: null });
  });
  it('drops editor lines and photo captions, and leaves content and questions alone', () => {
    assert.deepEqual(readMetadataLine('责任编辑：王五'), { date: null, source: null });
    assert.deepEqual(readMetadataLine('图为会议现场。（记者 李四 摄）'), { date: null, source: null });
    for (const text of ['记者：请问今年的增长目标是多少？', '记者：', '今天是2021年10月9日，会议召开。', '我们要把来源：讲清楚。']) {
      assert.equal(readMetadataLine(text), null, text);
    }
  });
});
