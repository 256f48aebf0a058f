/**
 * Word segmentation for full-text search. SQLite's tokenizers do not split
 * Chinese into words, so paragraphs and questions are segmented here with
 * jieba (search mode: long words also yield their parts, so 高质量发展 is
 * found by 高质量发展, 质量 and 发展). Index and query both call `segment`:
 * their tokens cannot drift apart.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** Terms of this corpus that must stay whole: slogans and policy names jieba's dictionary lacks. */
const POLICY_TERMS = [
  '高质量发展', '长三角一体化', '放管服', '放管服效', '十四五', '十三五', '五中全会', '十九届五中全会', '六稳', '六保',
  '脱贫攻坚', '乡村振兴', '集团化办学', '医共体', '武鄂同城', '城乡融合', '双重预防体系', '营商环境', '全面从严治党',
  '基层治理', '党建引领', '网格化', '疫情防控', '常态化', '公共服务体系', '人居环境', '背街小巷', '新基建', '数字经济',
  '揭榜挂帅', '双聘制', '双报到', '一网一门一次', '老旧小区', '高标准农田', '藏粮于地', '藏粮于技', '防返贫',
  '碳达峰', '碳中和', '文明城市', '安全生产', '烟花爆竹', '办公用房', '权属登记', '巡察', '廉政', '约谈', '台商',
  '集中带量采购', '家长夜校', '内陆港', '跨境电商', '综合保税区', '居家健身', '全民健身', '体教融合', '无障碍改造',
];

let jieba: Jieba | null = null;

function instance(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    // A high frequency makes jieba keep the term whole.
    jieba.loadDict(Buffer.from(POLICY_TERMS.map((term) => `${term} 100000 n`).join('\n')));
  }
  return jieba;
}

const WORD = /[\p{L}\p{N}]/u;

/** Search-mode tokens of a text, lower-cased, without punctuation or white space. */
export function segment(text: string): string[] {
  return instance()
    .cutForSearch(text.normalize('NFKC').toLowerCase(), true)
    .map((token) => token.trim())
    .filter((token) => WORD.test(token));
}

/** Function words and question words that say nothing about what is asked. */
const QUERY_STOPWORDS = new Set([
  '的', '了', '和', '与', '及', '是', '在', '有', '为', '对', '把', '被', '也', '都', '就', '而', '或', '等', '中', '上', '下',
  '哪些', '哪个', '哪', '什么', '怎么', '怎样', '如何', '多少', '几', '几个', '吗', '呢', '吧', '啊', '谁', '为什么',
  '一共', '哪些方面', '着手', '提到', '认为', '介绍', '提出', '指出', '方面', '这', '那', '其', '之', '请问', '关于', '我', '你', '我们',
  'the', 'a', 'an', 'of', 'in', 'on', 'for', 'to', 'and', 'or', 'is', 'are', 'was', 'were', 'what', 'which', 'who',
  'how', 'did', 'does', 'do', 'about', 'these', 'this', 'that', 'with', 'by', 'from', 'as', 'at', 'be', 'many', 'much',
]);

/** Tokens of a question worth searching for, each once. */
export function queryTerms(question: string): string[] {
  const terms = [...new Set(segment(question).filter((token) => !QUERY_STOPWORDS.has(token)))];
  // Lone Han characters left over by segmentation (副, 许, 要) match almost everything; keep them only when nothing else is left.
  const words = terms.filter((token) => !/^\p{Script=Han}$/u.test(token));
  return words.length > 0 ? words : terms;
}
