/**
 * CC-CEDICT read backwards: English → simplified Chinese, for full-text
 * search of English questions without a model. The data is the `cc-cedict`
 * package's (the whole CC-CEDICT, 120 000+ entries, with definitions split
 * into senses); it is parsed once per process, on the first English question.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** An entry of the package's data: [traditional, simplified, pinyin, senses, …]. */
const entrySchema = z.tuple([z.string(), z.string(), z.string(), z.union([z.string(), z.array(z.string())])]).rest(z.unknown());
const dataSchema = z.object({ all: z.array(entrySchema) });

export interface EnglishDictionary {
  /** A normalised English sense ("fever clinic", "compulsory education") → the words it translates. */
  senses: Map<string, string[]>;
  /** A proper name in toneless pinyin ("ezhou", "hunan") → the words it romanises. */
  names: Map<string, string[]>;
  /** Senses the dictionary gives only as verbs ("to say", never "say" alone): how a question is put, not what it asks about. */
  verbsOnly: Set<string>;
  /** An abbreviation the dictionary gives after a sense, as written ("GDP" in "gross domestic product (GDP)") → its words. */
  acronyms: Map<string, string[]>;
  /**
   * The last word of a verb sense, its object ("elderly" of "to provide for the elderly") → the words with such a
   * sense: the verb-object compounds about it (养老, 敬老), which an English noun phrase names the other way round
   * ("elderly care").
   */
  verbsOf: Map<string, string[]>;
  /** The first word of every verb sense ("care" of "to care for", "reduce"): the English words that can name an action. */
  verbHeads: Set<string>;
}

/** "to provide for the elderly (family members)" → "provide for the elderly": what an English question would say. */
export function normaliseSense(sense: string): string {
  return sense
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .toLowerCase()
    .replace(/^\s*(to|a|an|the)\s+/, '')
    // A hyphen joins words as a space does: "high-end" is looked up as the question's words "high end".
    .replace(/[^a-z0-9']+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Administrative suffixes a name is also written without in English ("Lanzhou" for 兰州市). */
const ADMINISTRATIVE_SUFFIX = /^(Shi4|Sheng3|Xian4|Qu1|Zhou1|Zhen4)$/;

/**
 * The senses of an entry. CC-CEDICT separates senses with "/"; the package's data also groups near-synonyms into one
 * with "; " ("to speak; to talk; to say"): each is a sense of its own, or "say" would never find 说. A "; " inside
 * parentheses is part of a note, not a separator.
 */
export function splitSenses(definition: string | string[]): string[] {
  const senses: string[] = [];
  for (const group of typeof definition === 'string' ? definition.split('/') : definition) {
    let depth = 0;
    let current = '';
    for (const char of group) {
      if (char === '(' || char === '[') depth++;
      if (char === ')' || char === ']') depth = Math.max(0, depth - 1);
      if (char === ';' && depth === 0) {
        senses.push(current.trim());
        current = '';
      } else current += char;
    }
    senses.push(current.trim());
  }
  return senses.filter((sense) => sense !== '');
}

/** "gross domestic product (GDP)" → "GDP": an abbreviation in parentheses after the words it abbreviates (their initials). */
function acronymOf(sense: string): string | null {
  const match = /^(.*?)\s*\(([A-Z]{2,})\)\s*$/.exec(sense);
  if (!match) return null;
  const initials = match[1]!.replace(/\([^)]*\)/g, ' ').split(/[^A-Za-z]+/).filter(Boolean).map((word) => word[0]!.toUpperCase()).join('');
  return initials.endsWith(match[2]!) ? match[2]! : null;
}

function add(map: Map<string, string[]>, key: string, word: string): void {
  if (key === '') return;
  const words = map.get(key);
  if (!words) map.set(key, [word]);
  else if (!words.includes(word)) words.push(word);
}

function toneless(syllables: string[]): string {
  return syllables.join('').replace(/[0-9]/g, '').replace(/u:/g, 'v').toLowerCase();
}

export function buildEnglishDictionary(entries: z.infer<typeof entrySchema>[]): EnglishDictionary {
  const senses = new Map<string, string[]>();
  const names = new Map<string, string[]>();
  const acronyms = new Map<string, string[]>();
  const verbsOf = new Map<string, string[]>();
  const verbs = new Set<string>();
  const others = new Set<string>();
  for (const [, simplified, pinyin, definition] of entries) {
    for (const sense of splitSenses(definition)) {
      const acronym = acronymOf(sense);
      if (acronym) add(acronyms, acronym, simplified);
      // Cross-references, and capitalised senses (Jobs → 乔布斯): English names are looked up by their pinyin instead.
      if (/^(see|variant of|old variant of|surname|abbr\. for) /i.test(sense) || /^[A-Z]/.test(sense)) continue;
      const key = normaliseSense(sense);
      add(senses, key, simplified);
      // CC-CEDICT writes verb senses with "to" ("to say").
      const verb = /^to\s/i.test(sense.replace(/\([^)]*\)/g, ' ').trim());
      (verb ? verbs : others).add(key);
      if (verb && key.includes(' ')) add(verbsOf, key.slice(key.lastIndexOf(' ') + 1), simplified);
    }
    // Proper names have capitalised pinyin; English writes them as toneless pinyin without spaces.
    const syllables = pinyin.split(' ');
    if (/^[A-Z]/.test(pinyin) && /^\p{Script=Han}{2,}$/u.test(simplified)) {
      add(names, toneless(syllables), simplified);
      if (syllables.length > 2 && ADMINISTRATIVE_SUFFIX.test(syllables.at(-1)!)) {
        add(names, toneless(syllables.slice(0, -1)), simplified.slice(0, -1));
      }
    }
  }
  const verbHeads = new Set([...verbs].map((key) => key.split(' ')[0]!));
  return { senses, names, acronyms, verbsOf, verbHeads, verbsOnly: new Set([...verbs].filter((key) => !others.has(key))) };
}

let loaded: EnglishDictionary | null = null;
let byWord: Map<string, Set<string>> | null = null;

/**
 * An English word used in senses ("fever" in "low-grade fever"; "feverish") → the words with such a sense: a looser
 * lookup, built on first use (most English questions never need it).
 */
export function sensesUsing(word: string): ReadonlySet<string> {
  return sensesByWord().get(word) ?? new Set();
}

function sensesByWord(): Map<string, Set<string>> {
  if (!byWord) {
    byWord = new Map();
    for (const [sense, words] of englishDictionary().senses) {
      for (const used of sense.split(' ')) {
        if (used.length <= 2) continue;
        const known = byWord.get(used) ?? new Set<string>();
        for (const simplified of words) known.add(simplified);
        byWord.set(used, known);
      }
    }
  }
  return byWord;
}

/** Reads the dictionary and indexes it now, as an engine opens: the first English question would wait seconds for it. */
export function prepareEnglishDictionary(): void {
  sensesByWord();
}

/** The dictionary, parsed on first use. */
export function englishDictionary(): EnglishDictionary {
  if (!loaded) {
    const file = fileURLToPath(new URL('../data/all.js', import.meta.resolve('cc-cedict')));
    const text = fs.readFileSync(file, 'utf8');
    // The file is `export default {…}`: JSON after the first brace.
    const data = dataSchema.parse(JSON.parse(text.slice(text.indexOf('{'))));
    loaded = buildEnglishDictionary(data.all);
  }
  return loaded;
}
