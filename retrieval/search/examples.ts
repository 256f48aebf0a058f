/**
 * Examples taken from the index, for /start, /help and hints: a real
 * speaker, a term the corpus often uses, and a document, so that every
 * example works on whatever corpus was indexed.
 */
import { normalise } from '../text.js';
import { isWordBoundary, tagWords } from '../ingest/words.js';
import type { IndexReader, ParagraphFilter, StoredParagraph } from '../index/store/store.js';
import { rankDistinctive, specificity } from './distinctive-terms.js';

export interface CorpusExamples {
  /** A frequent multi-character term of the corpus (its discovered vocabulary is sorted by frequency). */
  term: string;
  /** The speaker with the most paragraphs that uses a term of the vocabulary, and that term; null if there is none. */
  speaker: { name: string; term: string } | null;
  /** The start of a document's file name, as `source:` takes it, and a term of that document. */
  source: { prefix: string; term: string } | null;
}

/** Examples read longer than this are less likely to be terms than phrases. */
const LONGEST_EXAMPLE_TERM = 6;
/** How many of the most frequent terms, and of a speaker's or document's paragraphs, an example is chosen from. */
const EXAMPLE_TERMS = 300;
const EXAMPLE_TEXTS = 300;
/** How many of the speakers with most paragraphs are tried for the speaker's example. */
const EXAMPLE_SPEAKERS = 10;

function vocabulary(reader: IndexReader): string[] {
  return reader.catalogue.vocabulary.filter((term) => term.length >= 3 && term.length <= LONGEST_EXAMPLE_TERM);
}

/**
 * The term of `texts` (a speaker's, a document's) that best stands for them: often used there and rare
 * elsewhere (occurrences × specificity), so that asking it within them finds passages that are about it —
 * the most frequent term alone would be a word every passage uses (`进一步`), which no search can answer.
 */
function termIn(reader: IndexReader, terms: string[], texts: string[]): string | undefined {
  // Bounded, so that a large index opens as fast as a small one: the most frequent terms, a sample of the texts.
  const joined = texts.slice(0, EXAMPLE_TEXTS).join('\n');
  const occurrences = new Map(
    terms.slice(0, EXAMPLE_TERMS).filter((term) => standsAsWord(joined, term)).map((term) => [term, joined.split(term).length - 1]),
  );
  // A small corpus discovers few terms: then the content words of the texts themselves are the candidates.
  return rankDistinctive(reader, occurrences)[0]?.term ?? rankDistinctive(reader, contentWordsOf(joined))[0]?.term;
}

/** The content words of two characters or more in `text`, with how often each occurs, most frequent first. */
function contentWordsOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { word, tag } of tagWords(text, true)) {
    if (word.length >= 2 && word.length <= LONGEST_EXAMPLE_TERM && CONTENT_WORD.test(tag)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => b[1] - a[1]));
}

/** jieba's tags of content words: nouns (names, organisations…), verbs, adjectives, idioms, abbreviations. */
const CONTENT_WORD = /^[nvalij]/;

/**
 * Whether a term is made of content words of two characters or more (`发热|门诊`, `党组织`): the discovered
 * vocabulary also holds phrases of function words (`我们|还`) and words with a character of the next (`社区|党`).
 */
function madeOfContentWords(term: string): boolean {
  return tagWords(term, true).every(({ word, tag }) => word.length >= 2 && CONTENT_WORD.test(tag));
}

/** How many occurrences of a term are read to tell whether it stands as a word there. */
const OCCURRENCES_READ = 10;

/**
 * Whether `term` is made of content words and stands as a word of its own where `text` uses it, for at least half
 * of its first occurrences: the corpus's discovered vocabulary holds fragments too (`社区党` of `社区|党组织`,
 * `社区|党建`), and an example that is one would find passages only through a part of the word.
 */
export function standsAsWord(text: string, term: string): boolean {
  if (!madeOfContentWords(term)) return false;
  let whole = 0;
  let read = 0;
  for (let at = text.indexOf(term); at >= 0 && read < OCCURRENCES_READ; at = text.indexOf(term, at + term.length)) {
    const before = Math.min(at, 4);
    if (isWordBoundary(text.slice(at - before, at + term.length + 6), before, before + term.length)) whole++;
    read++;
  }
  return read > 0 && whole * 2 >= read;
}

/** Texts of the paragraphs a filter allows that also pass `keep`: only those are read, not the whole corpus. */
async function textsWhere(reader: IndexReader, filter: ParagraphFilter, keep: (paragraph: StoredParagraph) => boolean): Promise<string[]> {
  const paragraphs = await reader.paragraphs(await reader.filter(filter));
  return paragraphs.filter(keep).map((paragraph) => paragraph.text);
}

export async function corpusExamples(reader: IndexReader): Promise<CorpusExamples> {
  const terms = vocabulary(reader);
  // A vocabulary term is kept whole by segmentation, so one the index counts occurs in the corpus.
  // The most frequent term that is not in every other passage (a term in more than a tenth of them says little).
  const common = Math.log(10);
  const indexed = terms.filter((candidate) => reader.statistics.documentFrequency(normalise(candidate)) > 0);
  const sample = (await reader.paragraphs(Array.from({ length: EXAMPLE_TEXTS }, (_, i) => i + 1))).map((paragraph) => paragraph.text);
  const term = indexed.find((candidate) => madeOfContentWords(candidate) && specificity(reader, candidate) >= common)
    ?? termIn(reader, [], sample) ?? indexed[0]
    ?? (await reader.paragraphs([1]))[0]?.text.slice(0, 4) ?? '';
  // The speaker with the most paragraphs that uses a term of the vocabulary: in a small corpus, the first may use none.
  let top: { name: string } | undefined;
  let speakerTerm: string | undefined;
  for (const speaker of [...reader.catalogue.speakers].sort((a, b) => b.paragraphs - a.paragraphs).slice(0, EXAMPLE_SPEAKERS)) {
    speakerTerm = termIn(reader, terms, await textsWhere(reader, { speaker: speaker.name }, (p) => p.speaker?.name === speaker.name));
    top = speaker;
    if (speakerTerm) break;
  }
  const [document] = reader.catalogue.documents;
  const prefix = document?.file.split(/[_.]/)[0];
  const sourceTerm = document && termIn(reader, terms, await textsWhere(reader, { source: document.file }, (p) => p.document.file === document.file));
  return {
    term,
    speaker: top && speakerTerm ? { name: top.name, term: speakerTerm } : null,
    source: prefix && sourceTerm ? { prefix, term: sourceTerm } : null,
  };
}

/** Questions to offer as buttons: a term, a speaker with a term, a document with a term. */
export function exampleQuestions(examples: CorpusExamples): string[] {
  return [
    examples.term,
    ...(examples.speaker ? [`${examples.speaker.name}: ${examples.speaker.term}`] : []),
    ...(examples.source ? [`source:${examples.source.prefix} ${examples.source.term}`] : []),
  ];
}
