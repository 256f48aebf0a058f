/**
 * How much a string alone looks like a person's name, from evidence: its
 * shape, a surname (lexicon.ts), and jieba's dictionary and part-of-speech
 * tags (a known name, an ordinary word, a verb). The verdict is graded, so
 * that the document can settle what the string alone cannot: `高峰` after a
 * role (`院长高峰`) or on a name line is a name, `高峰` alone is a word.
 * A verb is never a name (`市长宣布：` names nobody).
 */
import { COMPOUND_SURNAMES, FORMS_OF_ADDRESS, REPORTING_VERBS, ROLE_ENDINGS, SURNAMES } from './lexicon.js';
import { dictionaryWord, tagWords } from './words.js';

/**
 * - `name`: looks like a name on its own (a surname and no ordinary word, a name jieba knows, a transliteration);
 * - `possible`: could be a name if the document vouches for it (a role before it, a name line): `吉林`, `扎西次仁`;
 * - `none`: not a name (a word, a verb, a form of address, the wrong shape).
 */
export type NameEvidence = 'name' | 'possible' | 'none';

const HAN = /^[\u3400-\u9fff]+$/;
const TRANSLITERATED = /^[\u3400-\u9fff]{1,8}[·•・･][\u3400-\u9fff·•・･]{1,12}$/;
/** Parts of speech no name is made of: verbs, prepositions, particles, conjunctions, pronouns, adverbs, numerals, time and place words. */
const NOT_IN_NAMES = /^(?:v|vn|vd|p|u|uj|ul|uz|ug|uv|ud|c|r|d|m|q|f|t|s|y|e|o|zg|a|ad|an)$/;

function surnameLength(text: string): number {
  if (COMPOUND_SURNAMES.some((surname) => text.startsWith(surname))) return 2;
  return SURNAMES.has(text[0]!) ? 1 : 0;
}

/** How often (in jieba's corpus) a word occurs for it to be a common word rather than a given name. */
const COMMON_WORD_FREQUENCY = 1000;

const verdicts = new Map<string, NameEvidence>();

/** The evidence `candidate` (simplified script, no spaces) alone gives that it is a person's name. */
export function nameEvidence(candidate: string): NameEvidence {
  let verdict = verdicts.get(candidate);
  if (verdict === undefined) {
    verdict = judge(candidate);
    if (verdicts.size > 50_000) verdicts.clear();
    verdicts.set(candidate, verdict);
  }
  return verdict;
}

function judge(candidate: string): NameEvidence {
  if (TRANSLITERATED.test(candidate)) return 'name';
  if (!HAN.test(candidate) || candidate.length < 2 || candidate.length > 6 || candidate.endsWith('们')) return 'none';
  if (REPORTING_VERBS.some((verb) => candidate.endsWith(verb) && verb.length < candidate.length && verb.length >= 2)) return 'none';
  const surname = surnameLength(candidate);
  // A surname and a form of address or a title (`姚大伯`, `蔡总统`, `陈院长`): how a person is called, not their name.
  const rest = candidate.slice(surname);
  if (surname > 0 && (FORMS_OF_ADDRESS.includes(rest) || (rest.length > 1 && ROLE_ENDINGS.includes(rest)))) return 'none';
  const words = tagWords(candidate);
  const wholeWord = words.length === 1 ? words[0]! : null;
  // jieba's dictionary knows many names; its tags are noisy (`多谢` and some idioms are tagged as names), so a
  // tagged word without a surname counts only at three characters or more (`特朗普`).
  if (wholeWord?.tag.startsWith('nr') && (surname > 0 || candidate.length >= 3)) return 'name';
  if (wholeWord && NOT_IN_NAMES.test(wholeWord.tag) && !/^[tfsa]/.test(wholeWord.tag)) return 'none';
  // An organisation (`国务院`) is never a person, whatever surname it starts with.
  if (wholeWord?.tag === 'nt') return 'none';
  if (surname > 0 && candidate.length <= 4 && candidate.length > surname) {
    // An ordinary word that starts with a surname character (`吉林`, `江山`, `国家`): only the document can tell.
    if (wholeWord) return 'possible';
    // The surname stands apart (`付|启明`), whatever the given name means; a surname character inside a word
    // (`文件|要求`, `方案|明确`) starts a phrase, not a name.
    const first = words[0]!;
    // The surname character inside a verb or a function word (`强调不会`, `向前看`) starts a phrase, never a name.
    if (first.word.length > surname && NOT_IN_NAMES.test(first.tag) && !/^[tfsa]/.test(first.tag)) return 'none';
    const given = candidate.slice(surname);
    // A surname that is also a preposition, before a common word (`于|行政`, `向|社会`): `行政长官于行政会议前`
    // reads `at the Executive Council`, not a person 于行政.
    const givenWord = given.length === 2 ? dictionaryWord(given) : undefined;
    if (first.word.length === surname && /^[pc]$/.test(first.tag) && givenWord && !/^n[rsz]/.test(givenWord.tag)) return 'possible';
    // Two surnames and a given name (`林郑月娥`, a married name in Hong Kong), no word across them.
    if (given.length === 3 && surname === 1 && SURNAMES.has(given[0]!) && !crossesAWord(words, 2)) return 'name';
    // A given name is one or two characters; more after a single surname needs a voucher.
    if (given.length > 2) return 'possible';
    // A given name that is a common verb (`来|担任`, `蔡|发表`: frequent in jieba's corpus, where given names like
    // 启明 are rare), or ends in a preposition or particle (`王毅|在`), is a phrase more likely than a name.
    const asWord = dictionaryWord(given);
    if (asWord && /^(?:v|vn|vd)$/.test(asWord.tag) && asWord.frequency >= COMMON_WORD_FREQUENCY) return 'possible';
    const last = tagWords(given).at(-1)!;
    if (given.length === 2 && last.word.length === 1 && /^(?:p|c|u|uj|ul|uz)$/.test(last.tag)) return 'possible';
    return first.word.length <= surname || first.tag.startsWith('nr') ? 'name' : 'possible';
  }
  // No known surname: a minority name written without a dot (`扎西次仁`), made of proper nouns and unknown
  // characters, is possible; anything with a common word in it (`部长苏班`) is not.
  if (wholeWord || candidate.length < 3) return 'none';
  const tagged = tagWords(candidate, true);
  if (tagged.some((word) => NOT_IN_NAMES.test(word.tag) || (word.word.length > 1 && !/^(?:ns|nr|nz|x)/.test(word.tag)))) return 'none';
  return 'possible';
}

/** Whether a dictionary word runs across character `at` of the words' text. */
function crossesAWord(words: readonly { word: string }[], at: number): boolean {
  let start = 0;
  for (const { word } of words) {
    if (start < at && start + word.length > at) return true;
    start += word.length;
  }
  return false;
}

/** A name standing on its own, with no role or layout to vouch for it. */
export function isPersonName(candidate: string): boolean {
  return nameEvidence(candidate) === 'name';
}
