/**
 * Full-text search on a second, small corpus on another topic (city water
 * supply, flood control, libraries, parks; test/fixtures/water-corpus) with
 * its own questions: the rules (vocabulary, English, traditional script,
 * ranking, partial evidence, declining) hold beyond the shipped corpus.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { standsAsWord } from '../retrieval/search/examples.js';
import { buildIndex } from '../retrieval/api.js';
import { Segmenter } from '../retrieval/index/segment.js';
import { normalise } from '../retrieval/text.js';
import { discoverTerms, readUserDictionary } from '../retrieval/index/vocabulary.js';
import { evalQuestionSchema, scoreQuestion, summarise } from '../retrieval/search/evaluate.js';
import { analyseQuestion } from '../retrieval/search/query-analysis.js';
import { rankCandidates, weighConcepts, type WeightedConcept } from '../retrieval/search/lexical-ranking.js';
import { SearchEngine } from '../retrieval/search/search.js';
import { tempDir, testConfig } from './support/temp.js';

const FIXTURES = path.resolve('test/fixtures');
const questions = fs
  .readFileSync(path.join(FIXTURES, 'water-questions.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => evalQuestionSchema.parse(JSON.parse(line)));

describe('full-text search on a second corpus', () => {
  let engine: SearchEngine;

  before(async () => {
    const dictionary = path.join(tempDir('user-dictionary'), 'terms.txt');
    fs.writeFileSync(dictionary, '# terms to keep whole\n口袋公园 100 n\n');
    const config = testConfig({
      CORPUS_DIR: path.join(FIXTURES, 'water-corpus'), INDEX_DIR: tempDir('water-index'), EMBEDDING_MODEL: 'none/none',
      USER_DICTIONARY: dictionary,
    });
    await buildIndex(config);
    engine = await SearchEngine.open(config);
  });
  after(() => engine?.close());

  it('finds the answer of every answerable question in the top 5, with its speaker, in Chinese, English and traditional script', async () => {
    const scores = [];
    for (const question of questions) {
      const result = await engine.search(question.q, { mode: 'lexical', top: 5 });
      scores.push(scoreQuestion(question, result));
    }
    for (const kind of ['fact', 'topic', 'en', 'traditional', 'partial']) {
      assert.equal(summarise(kind, scores.filter((s) => s.kind === kind)).recallAt5, 1, `${kind} R@5`);
    }
    const answerable = scores.filter((s) => !s.isNone);
    assert.equal(summarise('all', answerable).falseNotFound, 0, 'no answerable question declined');
    assert.equal(summarise('all', answerable).speakerAgreement, 1, 'every passage found carries its speaker');
    assert.equal(summarise('none', scores.filter((s) => s.isNone)).answeredOrAbstained, 1, 'every unanswerable question declined');
  });

  it('does not count how a question is put as missing: verbs and made-up words the corpus never uses', async () => {
    // 谈到, 进展: verbs this corpus never uses; 率是: two lone characters (率 是) the question analysis would join.
    for (const question of ['应急管理局副局长谈到防汛物资储备有什么进展?', '城区供水率是多少?']) {
      const result = await engine.search(question, { mode: 'lexical' });
      assert.deepEqual([result.evidence.kind, result.evidence.missing], ['direct', []], question);
    }
    // A question of nothing but verbs the corpus uses is still a question.
    assert.equal((await engine.search('改造', { mode: 'lexical' })).answered, true);
    const parks = await engine.search('园林局局长谈到绿道建设有什么进展?', { mode: 'lexical' });
    assert.equal(parks.answered, true);
    assert.ok(parks.results[0]!.text.includes('新建绿道六十八公里'));
  });

  it('compares a long question with chance questions of its length', async () => {
    // One passage covers a small share of a question listing nine things, as it would by chance for three.
    const result = await engine.search('供水管网、老旧小区、智慧水表、排水管道、雨水泵站、易涝点、城市书房、口袋公园和绿道今年各有什么进展?', { mode: 'lexical' });
    assert.equal(result.answered, true);
    assert.ok(result.results.some((hit) => hit.text.includes('新建雨水泵站四座')));
  });

  it('names in its caveat what the corpus lacks, not the verbs of the question', async () => {
    const cases: [string, string, string][] = [
      ['局长谈到自来水厂有什么进展?', '自来水厂', '城区自来水普及率'],
      ['What did they say about garbage sorting coverage?', 'sorting', '垃圾分类覆盖率'],
    ];
    for (const [question, missing, expected] of cases) {
      const result = await engine.search(question, { mode: 'lexical' });
      assert.deepEqual(result.evidence.kind === 'partial' && result.evidence.missing, [missing], JSON.stringify(result.evidence));
      assert.ok(result.results[0]!.text.includes(expected), question);
    }
  });

  it('does not count the words outside a topic the question states as missing (关于X，讲话里怎么说)', async () => {
    // 讲话 never occurs in this corpus, and is a noun: only the stated topic tells it is not what is asked about.
    const cases: [string, string][] = [['关于自来水厂,讲话里是怎么说的?', '城区自来水普及率'], ['What did the speech say about flood drills?', '防汛应急演练']];
    for (const [question, expected] of cases) {
      const result = await engine.search(question, { mode: 'lexical' });
      assert.equal(result.answered, true, question);
      assert.ok(result.results[0]!.text.includes(expected), question);
    }
    const partial = await engine.search('关于自来水厂,讲话里是怎么说的?', { mode: 'lexical' });
    assert.deepEqual(partial.evidence, { kind: 'partial', missing: ['自来水厂'], found: ['自来水'] });
    assert.equal((await engine.search('关于地铁,讲话里是怎么说的?', { mode: 'lexical' })).answered, false, 'the topic itself is unknown');
  });

  it('still declines a question about something the corpus never mentions, though its other words occur', async () => {
    const result = await engine.search('局长谈到了哪些关于地铁的补贴?', { mode: 'lexical' });
    assert.equal(result.answered, false);
  });

  it('says what an English question searched for', async () => {
    const result = await engine.search('How many readers did the library receive last year?', { mode: 'lexical' });
    assert.ok(result.searched.includes('图书馆'), result.searched.join(' '));
    assert.ok(result.searched.includes('读者'), result.searched.join(' '));
    assert.ok(result.results[0]!.matchedTerms.includes('读者'));
  });

  it('answers with a caveat when part of the question appears nowhere', async () => {
    const result = await engine.search('自来水厂', { mode: 'lexical' });
    assert.equal(result.evidence.kind, 'partial');
    assert.deepEqual(result.evidence.missing, ['自来水厂']);
    assert.ok(result.evidence.found.includes('自来水'), result.evidence.found.join(' '));
    assert.ok(result.results[0]!.text.includes('自来水'));
  });

  it('reads FTS5 syntax in a question as words, never as query syntax', async () => {
    const cases: [string, string][] = [
      ['"城市书房" AND 借阅*', '二十四小时自助借阅'],
      ['NEAR(绿道 口袋公园', '新建绿道六十八公里'],
      ['((( 雨水泵站', '新建雨水泵站四座'],
      ['title:"易涝点" OR 垃圾分类', '易涝点由二十七处减少到九处'],
    ];
    for (const [question, expected] of cases) {
      const result = await engine.search(question, { mode: 'lexical', top: 5 });
      assert.equal(result.answered, true, question);
      assert.ok(result.results.some((hit) => hit.text.includes(expected)), question);
    }
    for (const unanswerable of ["'; DROP TABLE paragraphs; --", '"unbalanced']) {
      const result = await engine.search(unanswerable, { mode: 'lexical' });
      assert.equal(result.answered, false, unanswerable);
    }
    assert.equal((await engine.search('城市书房', { mode: 'lexical' })).answered, true, 'the index is intact');
  });

  it('takes example terms that stand as words where they are used, not fragments the vocabulary also holds', () => {
    assert.equal(standsAsWord('社区党组织书记参加社区党建联席会议,社区党群服务中心开放。', '社区党'), false);
    assert.equal(standsAsWord('全市发热门诊总量达到三十个,发热门诊全天开放。', '发热门诊'), true);
    assert.equal(standsAsWord('我们还要把工作做细,我们还将继续推进。', '我们还'), false, 'a phrase of function words');
  });

  it('gives examples that exist in this index', async () => {
    const { term, speaker, source } = engine.examples;
    const texts = (await engine.reader.allParagraphs()).map((p) => p.text).join('\n');
    assert.ok(texts.includes(term));
    assert.ok(standsAsWord(texts, term), `the general example ${term} is a word where it is used`);
    assert.ok(speaker && standsAsWord(texts, speaker.term), 'so is the speaker\'s example');
    assert.ok(speaker, 'the water corpus has speakers, so an example names one');
    assert.ok(engine.speakerNames().includes(speaker.name));
    assert.ok(source && engine.catalogue.documents.some((d) => d.file.startsWith(source.prefix)));
  });
});

describe('vocabulary and question analysis', () => {
  it('discovers a term that recurs in varied contexts, and not its fragments', () => {
    const sentences = ['甲地推进', '乙方完成', '丙区开展', '丁村落实', '戊县启动'].map((s) => `${s}翠鸟计划,各方支持翠鸟计划的实施。`);
    const corpus = fs.readdirSync(path.join(FIXTURES, 'water-corpus')).map((f) => fs.readFileSync(path.join(FIXTURES, 'water-corpus', f), 'utf8'));
    const terms = discoverTerms([...corpus, sentences.join('')]);
    assert.ok(terms.includes('翠鸟计划'), terms.join(' '));
    assert.ok(!terms.includes('鸟计'));
  });

  it('reads a user dictionary in jieba format and says which file it cannot read', () => {
    const file = path.join(tempDir('dictionary'), 'd.txt');
    fs.writeFileSync(file, '# comment\n口袋公园 100 n\n\n城市書房\n');
    assert.deepEqual(readUserDictionary(file), ['口袋公园', '城市书房']);
    assert.throws(() => readUserDictionary(path.join(file, 'missing')), /USER_DICTIONARY .*missing/);
  });

  it('marks the words that say how a question is put: verbs by part of speech, English words the dictionary has only as verbs', () => {
    const concepts = analyseQuestion('局长谈到垃圾分类 What did the bureau say on garbage?', Segmenter.for([]), () => true);
    const byLabel = new Map(concepts.map((c) => [c.label, c.predicate]));
    assert.equal(byLabel.get('谈到'), true);
    assert.equal(byLabel.get('say'), true);
    assert.equal(byLabel.get('局长'), false);
    assert.equal(byLabel.get('garbage'), false);
    // Outside a stated topic, a verb only frames the question: it is not searched at all (say → 云, 言 would be noise).
    const framed = analyseQuestion('What did the bureau say about garbage?', Segmenter.for([]), () => true).map((c) => c.label);
    assert.ok(!framed.includes('say') && framed.includes('garbage') && framed.includes('bureau'), framed.join(', '));
  });

  it('looks up hyphenated English words and "this year" as the dictionary writes them', () => {
    const concepts = analyseQuestion('Where was self-service borrowing offered this year?', Segmenter.for([]), () => true);
    assert.ok(concepts.some((c) => c.terms.includes('自助')), concepts.map((c) => c.label).join(', '));
    assert.ok(concepts.some((c) => c.terms.includes('今年')), concepts.map((c) => c.label).join(', '));
  });

  it('normalises traditional script and full-width characters', () => {
    assert.equal(normalise('城區自來水ＡＢＣ１２'), '城区自来水abc12');
  });

  it('searches an English word by related words (senses using a form of it) only when the index knows no translation', () => {
    const onlyRelated = { paragraphs: 100, averageLength: 10, documentFrequency: (term: string) => (term === '发热' ? 3 : 0) };
    const [fever] = weighConcepts(analyseQuestion('fever', Segmenter.for([]), (term) => onlyRelated.documentFrequency(term) > 0), onlyRelated);
    assert.deepEqual([fever!.related, fever!.terms, fever!.unknown], [['发热'], ['发热'], false]); // 发热: "feverish"
    const translated = { ...onlyRelated, documentFrequency: (term: string) => (term === '发热' || term === '热病' ? 3 : 0) };
    const [asTranslated] = weighConcepts(analyseQuestion('fever', Segmenter.for([]), (term) => translated.documentFrequency(term) > 0), translated);
    assert.deepEqual(asTranslated!.related, []);
    assert.ok(asTranslated!.terms.includes('热病') && !asTranslated!.terms.includes('发热'));
  });

  it('marks the words outside a stated topic as framing the question', () => {
    const frames = (question: string) =>
      new Map(analyseQuestion(question, Segmenter.for([]), () => true).map((c) => [c.label, c.frame]));
    assert.deepEqual([...frames('关于养老保险,讲话里是怎么说的?')], [['养老保险', false], ['讲话', true]]);
    assert.equal(frames('What did the mayor say about pension insurance?').get('mayor'), true);
    assert.equal(frames('养老保险讲话里是怎么说的?').get('讲话'), false, 'no stated topic: nothing is frame');
    assert.equal(frames('What was the speech on pensions about ?').get('pensions'), false, 'a marker with nothing after it states no topic');
  });

  it('translates English: longest dictionary phrase first, proper names by pinyin, no function words', () => {
    const concepts = analyseQuestion('How is compulsory education in Ezhou going?', Segmenter.for([]), () => true);
    const byLabel = new Map(concepts.map((c) => [c.label, c.terms]));
    assert.ok(byLabel.get('compulsory education')?.includes('义务教育'));
    assert.ok(byLabel.get('Ezhou')?.includes('鄂州'));
    assert.ok(!byLabel.has('education') && !byLabel.has('how') && !byLabel.has('is'));
  });
});

describe('candidate ranking', () => {
  const stats = { paragraphs: 100, averageLength: 4, documentFrequency: (term: string) => (term.includes('服务') ? 30 : 5) };
  const concept = (label: string, parts: string[] = []): WeightedConcept => ({
    label, terms: [label], parts, joined: false, predicate: false, related: [], frame: false, span: null, weight: 2, absent: false, unknown: false,
  });
  const rank = (concepts: WeightedConcept[], candidates: [body: string, context?: string][]) =>
    rankCandidates(concepts, candidates.map(([body, context = ''], i) => ({ paragraphId: i + 1, body, context })), stats);

  it('counts a term where it stands as a word, not inside a longer one', () => {
    const [first, second] = rank([concept('养老')], [['养老保险 制度'], ['加快 养老 事业']]);
    assert.deepEqual([first!.paragraphId, first!.matchedTerms], [2, ['养老']]);
    assert.deepEqual([second!.matchedTerms, second!.score], [[], 0]);
    const [part] = rank([concept('养老保险', ['养老'])], [['加快 养老 事业']]);
    assert.deepEqual(part!.matchedTerms, ['养老'], 'a part of the concept is found as a word of its own');
  });

  it('counts who said it and the title, at half the weight of the paragraph\'s own words', () => {
    const [inBody, inContext, none] = rank([concept('养老')], [['城市 建设'], ['城市 建设', '养老 局长'], ['养老 建设']]);
    assert.deepEqual([inBody!.paragraphId, inContext!.paragraphId, none!.paragraphId], [3, 2, 1]);
    assert.ok(inContext!.score > 0 && inContext!.score < inBody!.score);
    assert.deepEqual(none!.matchedTerms, []);
  });

  it('finds a term of several words as those words side by side', () => {
    const [first] = rank([concept('养老 服务')], [['社区 养老 服务 中心'], ['养老 社区 服务']]);
    assert.deepEqual([first!.paragraphId, first!.matchedTerms], [1, ['养老 服务']]);
  });

  it('adds a bonus where two concepts of the question stand together, across word boundaries too', () => {
    const concepts = [concept('社区'), concept('养老')];
    const [together, apart] = rank(concepts, [['社区 工作 推进 养老'], ['推进 社区 养老 工作']]);
    assert.deepEqual([together!.paragraphId, apart!.paragraphId], [2, 1]);
    const [joined, alone] = rank(concepts, [['社 区 养老 工作'], ['区 社 养老 工作']]);
    assert.deepEqual(joined!.matchedTerms, ['养老'], 'only 养老 is a word here');
    assert.equal(joined!.score, alone!.score, 'no bonus without both concepts found');
  });
});
