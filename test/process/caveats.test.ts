/**
 * Caveats that are true, checked on what people read: the bot's reply (the
 * console's plain text and Telegram's HTML, through the same findAnswer) and
 * `npm run ask`. The corpus is this test's own (test/fixtures/caveats-corpus:
 * one meeting on health care, care of the elderly, jobs and statistics).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { findAnswer } from '../../bot/answer.js';
import { answerHtml, answerText } from '../../bot/presentation/format.js';
import { messagesFor } from '../../bot/presentation/i18n.js';
import { buildIndex } from '../../retrieval/api.js';
import { Segmenter } from '../../retrieval/index/segment.js';
import { buildEnglishDictionary, splitSenses } from '../../retrieval/search/cedict.js';
import { analyseQuestion } from '../../retrieval/search/query-analysis.js';
import { questionWithin } from '../../retrieval/search/question.js';
import { MAX_QUESTION_LENGTH, SearchEngine } from '../../retrieval/search/search.js';
import { passagesContaining } from '../../retrieval/search/search-lexical.js';
import { selectSenses } from '../../retrieval/search/sense-selection.js';
import { comparableText } from '../../retrieval/text.js';
import { parseTelegramHtml } from '../support/fake-bot-api/index.js';
import { tempDir, testConfig } from '../support/temp.js';

const CORPUS = path.resolve('test/fixtures/caveats-corpus');
const en = messagesFor('en');
const zh = messagesFor('zh');

describe('caveats in the reply', () => {
  let engine: SearchEngine;
  let indexDir: string;
  /** The console's reply and the text Telegram shows for the HTML reply, in English. */
  const replies = async (question: string) => {
    const answer = await findAnswer(engine, question, en);
    return { text: answerText(answer, en), telegram: parseTelegramHtml(answerHtml(answer, en).html).text };
  };

  before(async () => {
    indexDir = tempDir('caveats-index');
    const config = testConfig({ CORPUS_DIR: CORPUS, INDEX_DIR: indexDir, EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    engine = await SearchEngine.open(config);
  });
  after(() => engine?.close());

  it('does not call an English word missing when a part of its translation matched (clinics: 门诊 of 门诊室)', async () => {
    // CC-CEDICT has "clinic" as 诊所, 医务所, 门诊室; this corpus writes 发热门诊.
    const { text, telegram } = await replies('How many fever clinics are there?');
    for (const reply of [text, telegram]) {
      assert.match(reply, /全市已建成发热门诊二十二个/);
      assert.doesNotMatch(reply, /No passage mentions/);
      // 医务 (of 医务所 "clinic") is in the corpus too, but only 门诊 stands beside 发热 "fever" there.
      assert.match(reply, /^\(?Searched: 发热 门诊\)?$/m);
      assert.doesNotMatch(reply, /医务人员/, 'a passage with neither 门诊 nor 发热 is no answer');
    }
  });

  it('says so when a core concept of an English question is in no passage (GDP → 国内生产总值)', async () => {
    const { text, telegram } = await replies('What was the GDP growth rate in the first half of the year?');
    for (const reply of [text, telegram]) {
      assert.match(reply, /No passage mentions "GDP" itself; these passages speak of [^\n]*"增速"/);
      assert.match(reply, /规模以上工业增加值增长百分之六点二/);
    }
  });

  it('shows no passage that matches only how the question is put (讲话 in 关于…，讲话里是怎么说的)', async () => {
    const answer = await findAnswer(engine, '关于高龄津贴，讲话里是怎么说的', zh);
    const text = answerText(answer, zh);
    assert.match(text, /为八十岁以上老年人发放高龄津贴/);
    assert.doesNotMatch(text, /讲话精神/, 'a passage with only 讲话 is no answer');
  });

  it('cuts a long question where a word ends, and does not name half a word as missing', async () => {
    // Character 500 falls inside 什么: cut there, 有什 would be searched, and named as missing, as a word of its own.
    const question = `${'老人'.repeat(249)}有什么进展${'，养老服务站建设'.repeat(190)}`;
    assert.ok(question.length > 1900);
    const { text, telegram } = await replies(question);
    for (const reply of [text, telegram]) {
      assert.match(reply, /The question was longer than 500 characters; only its first 499 were searched \(cut where a sentence or word ends\)/);
      assert.doesNotMatch(reply, /No passage mentions/);
      assert.match(reply, /要让老人在家门口就能吃上热饭/, 'answered, not declined for a word that is no word');
    }
    const result = await engine.search(question, { mode: 'lexical' });
    assert.ok(result.truncated && result.query.endsWith('老人有'), result.query.slice(-6));
  });

  it('flags a passage that matched only part of a word of the question (计算 of 计算机), and only that one', async () => {
    for (const m of [en, zh]) {
      const answer = await findAnswer(engine, '计算机培训办了几次?', m);
      const quotes = answerText(answer, m).split(/\n\n/).filter((block) => /^\d+\. 「/.test(block));
      const partial = quotes.find((quote) => quote.includes('云计算中心'));
      const whole = quotes.find((quote) => quote.includes('两次计算机应用培训'));
      assert.ok(partial && whole, quotes.join('\n---\n'));
      assert.match(partial, m === en ? /This passage has only "计算" \(part of "计算机"\)/ : /此段只含“计算”\(“计算机”的一部分\)/);
      assert.doesNotMatch(whole, /part of|一部分/);
      assert.match(parseTelegramHtml(answerHtml(answer, m).html).text, m === en ? /part of "计算机"/ : /“计算机”的一部分/);
    }
  });

  it('shows the senses the passages bear out, and not the verbs that only frame the question', async () => {
    const { text } = await replies('What did the vice mayor say about elderly care?');
    const searched = /^\(Searched: (.*)\)$/m.exec(text)?.[1]?.split(' ') ?? [];
    // vice: 副 (副市长 in the passages), not 恶习 (a vice, a bad habit); say: neither 说 nor 云, which the corpus also uses;
    // elderly care: 养老, a compound CC-CEDICT has only as "to provide for the elderly".
    assert.deepEqual(searched.slice(0, 3), ['副', '市长', '养老'], searched.join(' '));
    for (const noise of ['恶习', '说', '云', '言']) assert.ok(!searched.includes(noise), `${noise} in ${searched.join(' ')}`);
    assert.match(text, /为八十岁以上老年人发放高龄津贴/);
    // Without a neighbour to bear one out, a word keeps all its senses.
    const alone = await engine.search('vice', { mode: 'lexical' });
    assert.ok(alone.searched.includes('副') && alone.searched.includes('恶习'), alone.searched.join(' '));
  });

  it('npm run ask prints the notes once, "Searched" and the caveat; --json says what was found, missing and searched', async () => {
    const env = { ...process.env, INDEX_DIR: indexDir, CORPUS_DIR: CORPUS, EMBEDDING_MODEL: 'none/none', ALLOW_REMOTE_MODELS: 'false' };
    const ask = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/ask.ts', ...args], { env });
    const question = 'What was the GDP growth rate in the first half of the year?';
    const { stdout, stderr } = await ask(['--top', '2', question]);
    const output = stdout + stderr;
    assert.equal(output.match(/built without an embedding model/g)?.length, 1, output);
    assert.match(stdout, /^Searched: .*增速/m);
    assert.match(stdout, /^No passage mentions "GDP" itself/m);

    const json = JSON.parse((await ask(['--json', '--mode', 'lexical', question])).stdout);
    assert.equal(json.evidence.kind, 'partial');
    assert.deepEqual(json.evidence.missing, ['GDP']);
    assert.ok(json.evidence.found.includes('增速'), json.evidence.found.join(' '));
    assert.ok(json.searched.includes('增速'), json.searched.join(' '));
    const direct = JSON.parse((await ask(['--json', '--mode', 'lexical', 'How many fever clinics are there?'])).stdout);
    assert.deepEqual([direct.evidence.kind, direct.evidence.missing], ['direct', []]);
    assert.deepEqual(direct.evidence.found.sort(), ['发热', '门诊']);
  });
});

describe('question analysis for caveats', () => {
  const segmenter = Segmenter.for([]);

  it('reads the senses the dictionary groups with "; " one by one, and abbreviations written in capitals', () => {
    assert.deepEqual(splitSenses(['to speak; to talk (esp. formally; at length)', 'word']), ['to speak', 'to talk (esp. formally; at length)', 'word']);
    const dictionary = buildEnglishDictionary([
      ['說', '说', 'shuo1', ['to speak; to say']],
      ['國內生產總值', '国内生产总值', 'guo2 nei4 sheng1 chan3 zong3 zhi2', 'gross domestic product (GDP)'],
      ['長城', '长城', 'Chang2 cheng2', 'Great Wall of China (GWC)'],
    ]);
    assert.deepEqual(dictionary.senses.get('say'), ['说']);
    assert.deepEqual(dictionary.acronyms.get('GDP'), ['国内生产总值']);
    assert.equal(dictionary.acronyms.get('GWC'), undefined, 'GWC is not the initials of "Great Wall of China"');
  });

  it('looks up a word in capitals as an abbreviation, and the same letters in lower case as a word', () => {
    const labels = (question: string) => analyseQuestion(question, segmenter, () => true).map((c) => [c.label, c.terms.includes('国内生产总值')]);
    assert.deepEqual(labels('GDP'), [['GDP', true]]);
    assert.ok(!labels('gdp').some(([, gdp]) => gdp));
  });

  it('searches the parts of a translation that keep most of it (门诊 of 门诊室), not the wider ones (国内 of 国内生产总值)', () => {
    const [clinic] = analyseQuestion('clinic', segmenter, () => true);
    assert.ok(clinic!.terms.includes('门诊室') && clinic!.parts.includes('门诊'), clinic!.parts.join(' '));
    const [gdp] = analyseQuestion('GDP', segmenter, () => true);
    const searchedBy = [...gdp!.terms, ...gdp!.parts];
    assert.ok(searchedBy.includes('国内生产总值') && !searchedBy.includes('国内') && !searchedBy.includes('生产'), searchedBy.join(' '));
  });

  it('reads two English words the dictionary has no phrase for as the verb-object compound that says both (elderly care → 养老)', () => {
    const terms = (question: string, known: string[]) => analyseQuestion(question, segmenter, (term) => known.includes(term)).map((c) => [c.label, c.terms]);
    // 养老 "to provide for the elderly": 养 as in 保养 "to take good care of"; 敬老 "to respect the elderly" says no care.
    assert.deepEqual(terms('elderly care', ['养老', '敬老', '老人']), [['elderly care', ['养老']]]);
    assert.deepEqual(terms('poverty reduction', ['减贫', '贫困']), [['poverty reduction', ['减贫']]]);
    // 发热 "to have a fever" is no clinic: the words stay apart.
    assert.deepEqual(terms('fever clinic', ['发热', '诊所']).map(([label]) => label), ['fever', 'clinic']);
    // A compound the index does not know is not searched: the words stay apart.
    assert.deepEqual(terms('elderly care', ['老人']).map(([label]) => label), ['elderly', 'care']);
    const [elderlyCare] = analyseQuestion('elderly care', segmenter, (term) => term === '养老');
    assert.ok(elderlyCare!.parts.includes('老人'), 'a passage on the elderly (老人) speaks of part of it');
    // Only a noun phrase: two words written together, the second an action, not a quality (urban) or a participle.
    const labels = analyseQuestion('new urban jobs (real-name registered)', segmenter, () => true).map((c) => c.label);
    assert.deepEqual(labels.filter((label) => label.includes(' ')), ['real name'], labels.join(' | '));
  });

  it('does not search an English verb the index knows only as lone characters, and finds a noun by its verb (revitalization → 振兴)', () => {
    // An index that knows lone characters (去, 于, 行) and 改革, not the longer translations of "go".
    const known = (term: string) => term.length === 1 || term === '改革';
    const labels = analyseQuestion('How is the reform going?', segmenter, known).map((c) => c.label);
    assert.deepEqual(labels, ['reform'], `going → 去, 于: ${labels.join(' | ')}`);
    assert.deepEqual(analyseQuestion('going', segmenter, () => true).map((c) => c.label), ['going'], 'unless nothing else is left');
    const [revitalization] = analyseQuestion('revitalization', segmenter, (term) => term === '振兴');
    assert.ok(revitalization!.related.includes('振兴'), revitalization!.related.join(' '));
  });

  /** Passages as sense selection reads them. */
  const inTexts = (texts: string[]) => (text: string) => texts.some((passage) => passage.includes(text));

  it('keeps the translations of a word that stand next to its neighbour\'s in the passages', () => {
    const concepts = analyseQuestion('vice mayor', segmenter, () => true);
    const [vice, mayor] = selectSenses(concepts, inTexts(['副市长周明远:养老服务站', '破除恶习']));
    assert.deepEqual(vice!.terms, ['副']);
    assert.deepEqual(mayor!.terms, ['市长']);
    const [unsupported] = selectSenses(concepts, inTexts(['破除恶习']));
    assert.deepEqual(unsupported!.terms, concepts[0]!.terms, 'no evidence: every sense kept');
    // Where the passages have no whole translation, a part of one is a sense too: 门诊 (of 门诊室) beside 发热, not 医务 (of 医务所).
    const [, clinic] = selectSenses(analyseQuestion('fever clinic', segmenter, (term) => ['发热', '门诊', '医务'].includes(term)), inTexts(['发热门诊二十二个', '医务人员']));
    assert.deepEqual([clinic!.terms, clinic!.parts], [[], ['门诊']]);
    // Where they have one, a part is a wider word (工作 of 工作组): 研究工作 says nothing of a task force.
    const [, taskForce] = selectSenses(analyseQuestion('research task force', segmenter, () => true), inTexts(['研究工作', '成立工作组']));
    assert.ok(taskForce!.terms.includes('工作组'), taskForce!.terms.join(' '));
  });

  it('finds a translation in a candidate passage as written there, normalised, not across its punctuation', () => {
    const match = (text: string, context: string) => ({ paragraphId: 1, text, context, bodyWords: '', contextWords: '', comparable: comparableText(text) });
    const inPassages = passagesContaining([match('副，市長說：發熱門診', '王某 书记'), match('馬丁·路德', '')]);
    assert.ok(inPassages('发热门诊'), 'in the text, once simplified');
    assert.ok(!inPassages('副市'), 'only across a comma of the text');
    assert.ok(inPassages('王某'), 'in the speaker and title');
    assert.ok(inPassages('马丁·路德'), 'with punctuation of its own');
    assert.ok(!inPassages('门诊王'), 'nor across the text and its speaker');
  });

  it('cuts a long question after a sentence, else a clause, else between words; a break in the first half is not taken', () => {
    const sentence = '全市养老服务站建设进展如何。';
    assert.equal(questionWithin(sentence.repeat(40), MAX_QUESTION_LENGTH, segmenter), sentence.repeat(35));
    const clauses = `${'养老服务站建设，'.repeat(70)}`;
    assert.equal(questionWithin(clauses, MAX_QUESTION_LENGTH, segmenter), '养老服务站建设，'.repeat(62));
    const early = `一。${'老人'.repeat(300)}`;
    assert.equal(questionWithin(early, MAX_QUESTION_LENGTH, segmenter).length, MAX_QUESTION_LENGTH, 'the only sentence end is at the start');
    assert.equal(questionWithin('短问题。', MAX_QUESTION_LENGTH, segmenter), '短问题。');
  });
});
