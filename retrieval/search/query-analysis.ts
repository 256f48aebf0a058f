/**
 * A question → the concepts to look for. A concept is one thing the person
 * asks about, with the index terms that express it: a Chinese word and its
 * parts (养老保险 → 养老保险, 养老, 保险), or an English word or phrase and its
 * CC-CEDICT translations (fever clinic → 发热门诊). Function words (by
 * jieba's part of speech, or English stopwords) are no concepts; how much a
 * concept weighs is left to the index (IDF), so question filler the corpus
 * is full of (讲话, 工作) weighs almost nothing.
 */
import type { Segmenter } from '../index/segment.js';
import { hasWord } from '../text.js';
import { englishDictionary, normaliseSense, sensesUsing } from './cedict.js';

export interface Concept {
  /** What the person wrote (a Chinese word, an English word or phrase). */
  label: string;
  /** Index terms that express it as a whole (the word; the translations of an English phrase). */
  terms: string[];
  /**
   * Of a Chinese word, its search-mode parts (养老保险 → 养老, 保险): evidence for part of the concept. Of an English
   * word, the parts of its translations that keep most of one (门诊 of 门诊室 "clinic"): a translation too, though a
   * wider one, so the word is not missing where one of them is found.
   */
  parts: string[];
  /**
   * Lone characters this analysis joined (绿 道 → 绿道): a word only if the index knows it; otherwise (率 是 → 率是)
   * nothing says it is one.
   */
  joined: boolean;
  /**
   * A verb or adjective by its part of speech, or an English word the dictionary has only as a verb (say): how the
   * question is put (谈到, 进展), not the thing asked about.
   */
  predicate: boolean;
  /**
   * Of an English word none of whose translations the index knows: the words it does know whose dictionary senses
   * use the word or a form of it (fever → 发热 "feverish"). Searched instead (see weighConcepts).
   */
  related: string[];
  /**
   * Outside the topic the question states (关于自来水厂，讲话里是怎么说的 / what did they say about X): a word that
   * frames the question (讲话), not the thing asked about, even if it is a noun.
   */
  frame: boolean;
  /** Of an English concept: where its words stand among the question's English words, [first, end), to tell neighbours. */
  span: [number, number] | null;
}

/** Pronouns, prepositions, conjunctions, particles, modal particles, interjections, onomatopoeia, adverbs, locatives, quantifiers (x is a word jieba's HMM found: content). */
const FUNCTION_TAGS = /^(r|p|c|u|y|e|o|d|f|q)/;
/** Verbs (v, vn, vd …) and adjectives (a, an, ad …). */
const PREDICATE_TAGS = /^(v|a)/;

/** Chinese concepts: the question's content words (whole words by part of speech), with their search-mode parts. */
function chineseConcepts(text: string, segmenter: Segmenter): Concept[] {
  const concepts: Concept[] = [];
  let loneRun = '';
  const endRun = () => {
    if (loneRun) concepts.push({ label: loneRun, terms: [loneRun], parts: [], joined: loneRun.length > 1, predicate: false, related: [], frame: false, span: null });
    loneRun = '';
  };
  for (const { word, tag } of segmenter.tag(text)) {
    const content = /\p{Script=Han}/u.test(word) && !FUNCTION_TAGS.test(tag) && !(tag === 'm' && !/\d/.test(word));
    // Adjacent lone characters (绿 道) are a word jieba does not know (绿道): they are kept together.
    if (content && word.length === 1) {
      loneRun += word;
      continue;
    }
    endRun();
    if (content) concepts.push({ label: word, terms: [word], parts: [], joined: false, predicate: PREDICATE_TAGS.test(tag), related: [], frame: false, span: null });
  }
  endRun();
  // A lone character left over (说, 降) matches almost everything: keep it only when nothing else is left.
  const longer = concepts.filter((c) => c.label.length > 1);
  return longer.length > 0 ? longer : concepts;
}

/** Common English function words (the SMART/NLTK kind), and question words. */
const ENGLISH_STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be been before being below between both but by can
  could did do does doing down during each few for from further had has have having he her here hers him his how i if in
  into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she
  should so some such than that the their theirs them then there these they this those through to too under until up very
  was we were what when where which while who whom why will with would you your yours also still many much there's what's
  s t don't isn't near across along among around within without`.split(/\s+/),
);

const DEMONSTRATIVES = new Set(['this', 'that', 'these', 'those']);

/** The forms an English word may have in a dictionary: itself, singular, without -ing/-ed, the verb of a noun in -ion/-ment. */
function stems(word: string): string[] {
  const forms = [word];
  // revitalization → revitalize, creation → create, protection → protect, development → develop
  if (word.endsWith('ation')) forms.push(`${word.slice(0, -5)}e`);
  if (word.endsWith('ion')) forms.push(`${word.slice(0, -3)}e`, word.slice(0, -3));
  if (word.endsWith('ment')) forms.push(word.slice(0, -4));
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss')) forms.push(word.slice(0, -1));
  if (word.endsWith('ing')) forms.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  if (word.endsWith('ed')) forms.push(word.slice(0, -2), `${word.slice(0, -1)}`);
  return forms.filter((form) => form.length > 1);
}

/** A word of Latin letters, with inner apostrophes (Anyang's, don't); a closing quote ('eight focuses') is not part of it. */
const ENGLISH_WORD = /[A-Za-z]+(?:'[A-Za-z]+)*/g;

/** The longest phrases the dictionary knows are tried first, up to this many words. */
const MAX_PHRASE_WORDS = 4;

interface EnglishWord {
  /** Lower case, without a possessive 's. */
  text: string;
  /** As written, without a possessive 's. */
  written: string;
  capitalised: boolean;
  /** Written right after the word before it, with only a space or hyphen between (not across a bracket or comma). */
  joined: boolean;
}

/** The translations of a phrase, and whether the dictionary knows it only as a verb. */
function lookUpPhrase(words: EnglishWord[]): { translations: string[]; verb: boolean } {
  const { senses, verbsOnly, acronyms } = englishDictionary();
  // An abbreviation is written in capitals (GDP); "us" or "it" in lower case are words.
  const acronym = words.length === 1 && /^[A-Z]{2,}$/.test(words[0]!.written) ? acronyms.get(words[0]!.written) : undefined;
  if (acronym) return { translations: acronym, verb: false };
  const head = words.slice(0, -1).map((w) => w.text);
  for (const last of stems(words.at(-1)!.text)) {
    const key = normaliseSense([...head, last].join(' '));
    const found = senses.get(key);
    if (found) return { translations: found, verb: verbsOnly.has(key) };
  }
  return { translations: [], verb: false };
}

/** Forms a dictionary sense may use a question's word in: its derivations (feverish, clinical) and inflections. */
const DERIVATIONS = ['', 's', 'es', 'ish', 'ic', 'al', 'ous', 'y', 'ly', 'ed', 'ing'];

function relatedWords(word: string, known: (term: string) => boolean): string[] {
  const related = stems(word).flatMap((stem) => DERIVATIONS.flatMap((suffix) => [...sensesUsing(stem + suffix)]));
  return [...new Set(related)].filter(known);
}

function lookUpName(words: EnglishWord[]): string[] {
  return englishDictionary().names.get(words.map((w) => w.text).join('')) ?? [];
}

/**
 * The search-mode parts of an English word's translations that keep most of a translation (门诊 of 门诊室 "clinic"):
 * they say the same thing, so the word is found when one of them is. A shorter part is another, wider word (国内
 * "domestic" of 国内生产总值 "GDP"): it is not searched, so it can neither find a passage nor hide that the corpus
 * lacks what was asked.
 */
function partsKeepingMost(translations: string[], segmenter: Segmenter): string[] {
  const parts = translations.flatMap((term) => segmenter.segment(term).filter((part) => part.length > 1 && part.length * 2 > term.length));
  return [...new Set(parts)].filter((part) => !translations.includes(part));
}

/** A verb-object compound is a word (养老, 减贫), not an idiom (出生入死 "to go through fire and water"). */
const MAX_COMPOUND_LENGTH = 3;

/**
 * An English noun phrase the dictionary lacks ("elderly care", "poverty reduction") as Chinese says it, the other way
 * round: the words of the index with a verb sense whose object is the first word (养老 "to provide for the elderly",
 * 敬老 "to respect the elderly"), keeping those that say the second word too: a character of theirs, not one of the
 * first word's own translations (老 of 老人), is in a word whose senses use the second (养 of 保养 "to take good care
 * of"). 敬老 says no care; 发热 "to have a fever" is no clinic.
 */
function verbObjectCompounds(object: EnglishWord, action: EnglishWord, known: (term: string) => boolean): string[] {
  const { verbsOf, verbHeads } = englishDictionary();
  // A noun phrase: two words written together, the second naming an action (care, reduction → reduce), not a
  // participle (registered) or a quality (urban).
  if (!action.joined || /(ed|ing)$/.test(action.text) || !stems(action.text).some((form) => verbHeads.has(form))) return [];
  const objectCharacters = new Set([...lookUpPhrase([object]).translations.join('')]);
  const actionCharacters = new Set([...stems(action.text).flatMap((form) => [...sensesUsing(form)]).join('')]);
  const compounds = new Set(stems(object.text).flatMap((form) => verbsOf.get(form) ?? []));
  return [...compounds].filter(
    (word) => word.length <= MAX_COMPOUND_LENGTH && known(word) && [...word].some((c) => !objectCharacters.has(c) && actionCharacters.has(c)),
  );
}

/**
 * English concepts: dictionary phrases, longest first; capitalised words are tried as proper names (Lanzhou → 兰州),
 * capitals as abbreviations (GDP); two words the dictionary has no phrase for, as a compound the index knows
 * (elderly care → 养老, see verbObjectCompounds), the first word's translations its parts.
 */
function englishConcepts(text: string, segmenter: Segmenter, known: (term: string) => boolean): Concept[] {
  let previousEnd = -1;
  const words: EnglishWord[] = [...text.matchAll(ENGLISH_WORD)].map((match) => {
    const raw = match[0];
    const written = raw.replace(/'s$/i, '');
    const joined = previousEnd >= 0 && /^[\s-]+$/.test(text.slice(previousEnd, match.index));
    previousEnd = match.index + raw.length;
    return { text: written.toLowerCase(), written, capitalised: /^[A-Z]/.test(raw), joined };
  });
  const concepts: Concept[] = [];
  for (let i = 0; i < words.length; ) {
    let taken = 0;
    for (let n = Math.min(MAX_PHRASE_WORDS, words.length - i); n >= 1 && taken === 0; n--) {
      const phrase = words.slice(i, i + n);
      // A phrase neither starts nor ends with a function word ("how many", "the year" are no concepts), except a
      // demonstrative before the word it points at, when the dictionary has both: "this year" → 今年, as "last year" → 去年.
      const opensWithFunctionWord = ENGLISH_STOPWORDS.has(phrase[0]!.text) && !(n > 1 && DEMONSTRATIVES.has(phrase[0]!.text));
      if (opensWithFunctionWord || ENGLISH_STOPWORDS.has(phrase.at(-1)!.text)) continue;
      const names = phrase.every((w) => w.capitalised) ? lookUpName(phrase) : [];
      const { translations, verb } = names.length > 0 ? { translations: names, verb: false } : lookUpPhrase(phrase);
      const compounds = translations.length === 0 && n === 2 ? verbObjectCompounds(phrase[0]!, phrase[1]!, known) : [];
      if (translations.length === 0 && compounds.length === 0) continue;
      concepts.push({
        label: phrase.map((w) => w.written).join(' '),
        terms: compounds.length > 0 ? compounds : translations,
        parts: compounds.length > 0 ? lookUpPhrase([phrase[0]!]).translations : partsKeepingMost(translations, segmenter),
        joined: false,
        predicate: verb,
        related: [],
        frame: false,
        span: [i, i + n],
      });
      taken = n;
    }
    i += Math.max(taken, 1);
  }
  return concepts;
}

/** A topic marker and the words it governs, up to the end of the clause: 关于自来水厂, about garbage sorting. */
const STATED_TOPIC = /(?:关于|对于|有关|至于|\b(?:about|regarding|concerning)\b)([^,.;:!?，。；：！？]+)/gi;

/** The question's stated topics (lower case), or null when it states none. */
function statedTopics(text: string): string[] | null {
  // "What was the speech about ?" states no topic: nothing follows the marker.
  const topics = [...text.matchAll(STATED_TOPIC)].map((match) => match[1]!.toLowerCase()).filter(hasWord);
  return topics.length > 0 ? topics : null;
}

/**
 * The concepts of a question (already normalised: simplified script, half-width). `known`: whether the index has a
 * term, to find the related words of an English word whose translations it lacks.
 */
export function analyseQuestion(text: string, segmenter: Segmenter, known: (term: string) => boolean): Concept[] {
  const han = text.replace(ENGLISH_WORD, ' ');
  const topics = statedTopics(text);
  const chinese = chineseConcepts(han, segmenter).map((concept) => ({
    ...concept,
    // Search-mode parts, as the index was segmented: 养老保险 is also found as 养老.
    parts: segmenter.segment(concept.label).filter((part) => part.length > 1 && part !== concept.label),
  }));
  const concepts = [...chinese, ...englishConcepts(text, segmenter, known)].map((concept) => {
    const englishWord = /^[A-Za-z']+$/.test(concept.label);
    const related = englishWord && ![...concept.terms, ...concept.parts].some(known) ? relatedWords(concept.label.toLowerCase(), known) : [];
    const frame = topics !== null && !topics.some((topic) => topic.includes(concept.label.toLowerCase()));
    return { ...concept, related, frame };
  });
  // A verb outside the stated topic (say in "what did the mayor say about X", 谈到 in 关于X，局长谈到了什么) is how
  // the question is put: searching it (say → 云, 言) would only find passages that happen to use the verb.
  const asked = concepts.filter((concept) => !(concept.predicate && concept.frame));
  // An English verb the index knows only as lone characters (going → 去, 于, 行) says how the question is put, and a
  // lone character matches almost everything: as a Chinese one, it is kept only when nothing else is left.
  const loneVerb = (c: Concept) => c.span !== null && c.predicate && c.related.length === 0 && c.terms.filter(known).every((t) => t.length === 1);
  const kept = asked.filter((concept) => !loneVerb(concept));
  return unique(kept.length > 0 ? kept : asked);
}

/** The same label twice (a question repeating a word) is one concept. */
function unique(concepts: Concept[]): Concept[] {
  return [...new Map(concepts.map((c) => [c.label, c])).values()];
}
