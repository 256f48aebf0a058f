/**
 * What a document says about its people before anyone speaks: the title,
 * the lead and the header name people with their roles (`外交部发言人华某某
 * 主持例行记者会`, `行政长官林某某今日…`, `蔡某某总统今日出席`, `主席  苏院长某某`).
 * Labels that give only a role (`发言人：`, `行政長官：`) and reports by role
 * (`市长宣布：`, `蔡总统表示`) take their holder from here, and a name the
 * document introduces with a role is vouched for wherever it appears later.
 */
import type { Attribution, Speaker } from './document.js';
import type { Block } from './parse-blocks.js';
import { parseNameLine } from './parse-speaker.js';
import { roleBefore } from './person-phrase.js';
import { nameEvidence } from './person-name.js';
import { ROLE_ENDINGS, SPEECH_NOUNS, SURNAMES } from './lexicon.js';
import { shadowed, shadowOf, type Shadowed } from './shadow.js';
import { boundaryStrength, isWordBoundary } from './words.js';

/** Where a mention was read: the title, the lead (the opening paragraphs), a header list. */
export type MentionPlace = 'title' | 'lead' | 'header-list';

export interface Mention {
  name: string;
  role: string | null;
  place: MentionPlace;
  /** Where the name starts in the line it was read from (the first mention of a line is its subject). */
  at: number;
  /** The shadow right after the name (and a title after it): what the person does there (`主持例行记者会`). */
  after: string;
}

/** How many opening blocks count as the lead, where people are introduced. */
const LEAD_BLOCKS = 8;
/** How much of each lead block is read (a lead introduces people in its first sentences). */
const LEAD_CHARACTERS = 400;
const TITLES = ROLE_ENDINGS.filter((ending) => ending.length > 1).sort((a, b) => b.length - a.length);
const TITLE_IN_TEXT = new RegExp(`(?:${TITLES.join('|')})`, 'g');
/** What a host or speaker does, right after their name in a title or lead (a speech noun within a few words, no one else in between). */
const HOSTS = /^(?:在[^,。]{0,30}?)?主持/;
const SPEAKS = new RegExp(`^(?:(?:在|就|于|向|为|对)[^,。]{0,30}?)?(?:发表|作|做|致|的)?(?:(?!出席|会见|陪同|参加|听取)[^,。\\s]){0,12}?(?:${SPEECH_NOUNS.source})`);
/** A name that opens a line without a role: `王某某在…上的讲话`, `以下为王某某的致辞全文`. */
const NAME_THEN_ACTION = /^(?:在|就|于|发表|主持|答|致|接受|出席|会见|谈|的(?:讲话|致辞|发言|谈话|演讲))/;
const HAN = /[\u3400-\u9fff]/;
/** A title that announces a speech in full: `…致辞全文`, `讲话实录`, `…全文`. */
const FULL_TEXT = new RegExp(`(?:${SPEECH_NOUNS.source})(?:全文|实录)|全文$|全文\\)$`);
/** `蔡总统国庆谈话全文`: a title that opens with a surname and a title. */
const SURNAME_TITLE_AT_START = new RegExp(`^([\\u3400-\\u9fff])(${TITLES.join('|')})`);
/** `蔡总统发表…`: a surname and a title, not inside a longer name, before what the person does. */
const SURNAME_TITLE_IN_TEXT = new RegExp(`(?<![\\u3400-\\u9fff])([\\u3400-\\u9fff])(${TITLES.join('|')})(?=发表|在|的|致|表示|说)`);

/**
 * The best name among `spans` that ends where a word ends: a name on its own evidence before a possible one
 * (`minimum`), a clear end (punctuation) before a word boundary, then the longer.
 */
function bestName(norm: string, spans: [number, number][], minimum: 'name' | 'possible'): [number, number] | null {
  let best: { span: [number, number]; score: number } | null = null;
  for (const span of spans) {
    const [start, end] = span;
    if (start < 0 || end > norm.length) continue;
    const evidence = nameEvidence(norm.slice(start, end));
    if (evidence === 'none' || (minimum === 'name' && evidence !== 'name')) continue;
    const strength = boundaryStrength(norm, start, end);
    if (strength === 0) continue;
    const score = (evidence === 'name' ? 3 : 0) + strength;
    // On a tie the longer name: `林郑月娥` over `林郑月`, both ending where jieba cuts.
    if (!best || score > best.score || (score === best.score && end - start > best.span[1] - best.span[0])) best = { span, score };
  }
  return best?.span ?? null;
}

/**
 * People a line names with a role: after a role (`发言人华某某`), before a title (`蔡某某总统`, `刘某某委员`),
 * split by a title (`柯委员某某`), or opening the line before what they do (`王某某在…上的讲话`).
 */
export function mentionsIn(line: Shadowed, place: MentionPlace): Mention[] {
  const { text, norm } = line;
  const mentions: Mention[] = [];
  const add = (span: [number, number], role: string | null, afterFrom: number) => {
    const name = text.slice(...span).replace(/[\s\u3000\u00a0]+/g, '');
    mentions.push({ name, role, place, at: span[0], after: norm.slice(afterFrom, afterFrom + 24) });
  };
  for (const match of norm.matchAll(TITLE_IN_TEXT)) {
    const titleStart = match.index;
    const titleEnd = titleStart + match[0].length;
    // Split by the title: a surname, the title, the given name (`苏院长某某`), as header lists of records write it.
    const surname = norm[titleStart - 1];
    if (place === 'header-list' && surname && SURNAMES.has(surname) && !HAN.test(norm[titleStart - 2] ?? '')) {
      for (const length of [2, 1]) {
        const given = norm.slice(titleEnd, titleEnd + length);
        if (given.length === length && nameEvidence(surname + given) === 'name' && boundaryStrength(norm, titleEnd, titleEnd + length) > 0) {
          mentions.push({ name: text[titleStart - 1]! + text.slice(titleEnd, titleEnd + length), role: text.slice(titleStart, titleEnd), place, at: titleStart - 1, after: norm.slice(titleEnd + length, titleEnd + length + 24) });
          break;
        }
      }
    }
    // The role, then the name.
    const nameStart = norm[titleEnd] === ' ' ? titleEnd + 1 : titleEnd;
    // In running text only a name on its own evidence: after `总统` many words could follow (`总统|国庆谈话`).
    const after = bestName(norm, [3, 2, 4].map((length) => [nameStart, nameStart + length]), place === 'header-list' ? 'possible' : 'name');
    if (after) add(after, roleBefore(line, titleEnd), after[1]);
    // The name, then the title (`周某某总理在…`): the name starts a word of its own; at the start of a clause
    // even a name that is also a word (`周恩来` is one in jieba's dictionary).
    const spans: [number, number][] = [3, 2].map((length) => [titleStart - length, titleStart]);
    const clauseStart = (span: [number, number]) => span[0] >= 0 && !HAN.test(norm[span[0] - 1] ?? '');
    const before = bestName(norm, spans, 'name') ?? bestName(norm, spans.filter(clauseStart), 'possible');
    if (before && !after && isWordBoundary(norm.slice(Math.max(0, before[0] - 4), titleStart), Math.min(4, before[0]), Math.min(4, before[0]) + before[1] - before[0])) {
      add(before, text.slice(titleStart, titleEnd), titleEnd);
    }
  }
  const opening = bestName(norm, [3, 2, 4].map((length) => [0, length]), 'name');
  if (opening && NAME_THEN_ACTION.test(norm.slice(opening[1]))) add(opening, null, opening[1]);
  // `以下为王某某的致辞全文`: the name after the words that hand the text over.
  const handOver = /以下(?:为|是)/.exec(norm);
  if (handOver) {
    const from = handOver.index + handOver[0].length;
    const named = bestName(norm, [3, 2, 4].map((length) => [from, from + length]), 'name');
    if (named && NAME_THEN_ACTION.test(norm.slice(named[1]))) add(named, null, named[1]);
  }
  return mentions.sort((a, b) => a.at - b.at);
}

export class DocumentContext {
  private constructor(
    /** The title's shadow. */
    private readonly title: string,
    readonly mentions: readonly Mention[],
  ) {}

  /** Reads the title, the lead (the first blocks: header lines and opening paragraphs) of a document. */
  static read(title: string, blocks: readonly Block[]): DocumentContext {
    const mentions = mentionsIn(shadowed(title), 'title');
    for (const block of blocks.slice(0, LEAD_BLOCKS)) {
      if (block.kind === 'byline') continue;
      // A header line `主席  苏院长某某`, `秘书长  林某某`: a name line with its role.
      const listed = block.kind === 'heading' ? parseNameLine(block) : null;
      if (listed) {
        mentions.push({ name: listed.name, role: listed.role, place: 'header-list', at: 0, after: '' });
        mentions.push(...mentionsIn(block, 'header-list'));
        continue;
      }
      mentions.push(...mentionsIn({ text: block.text.slice(0, LEAD_CHARACTERS), norm: block.norm.slice(0, LEAD_CHARACTERS) }, 'lead'));
    }
    return new DocumentContext(shadowed(title).norm, mentions);
  }

  /**
   * Who holds `role` (a role-only label, `发言人`, or a report by role, `市长`), with `surname` if given
   * (`蔡总统`): the one person the title, lead or header names with that role — or, for the host, names as
   * hosting. Null when none or several.
   */
  holderOf(role: string, surname?: string): Speaker | null {
    const wanted = shadowOf(role).replace(/ /g, '');
    const hosting = wanted === '主持人';
    const holders = this.mentions.filter((mention) => {
      if (surname !== undefined && !shadowOf(mention.name).startsWith(shadowOf(surname))) return false;
      if (hosting && HOSTS.test(mention.after)) return true;
      if (mention.role === null) return false;
      const held = shadowOf(mention.role).replace(/ /g, '');
      return held.endsWith(wanted) || wanted.endsWith(held);
    });
    const names = new Set(holders.map((mention) => shadowOf(mention.name)));
    if (names.size !== 1) return null;
    const mention = holders.find((m) => m.role !== null) ?? holders[0]!;
    // The fuller of the two roles: `外交部发言人` from the title rather than the label's `发言人`.
    const fuller = mention.role !== null && shadowOf(mention.role).length >= wanted.length ? mention.role : role;
    return { name: mention.name, role: fuller, attribution: attributionOf(mention.place) };
  }

  /**
   * The person a title says speaks or hosts in the text (`外交部发言人华某某主持例行记者会`, `王某某在…上的讲话`,
   * `蔡总统国庆谈话全文`), with the role the document gives them.
   */
  titleSpeaker(): Speaker | null {
    return this.speakerNamedBy(this.mentions.filter((mention) => mention.place === 'title'), this.title);
  }

  /** The person a heading inside the document says speaks below it (`江某某的讲话`, `某某在…上的致辞`), or null. */
  headingSpeaker(heading: Shadowed): Speaker | null {
    return this.speakerNamedBy(mentionsIn(heading, 'title'), heading.norm);
  }

  /**
   * A name line the title vouches for: a name that is also a word to jieba (`周恩来`, tagged as a time word),
   * alone on its line below a title that opens with it and says what the person does (`周恩来在…上的讲话`).
   */
  nameLineVouchedByTitle(line: Shadowed): Speaker | null {
    const name = line.norm.replace(/ /g, '');
    if (name.length < 2 || name.length > 4 || nameEvidence(name) !== 'possible') return null;
    if (!this.title.startsWith(name) || !NAME_THEN_ACTION.test(this.title.slice(name.length))) return null;
    return { name: line.text.replace(/[\s\u3000\u00a0]+/g, ''), role: this.roleOf(name), attribution: 'byline' };
  }

  /** Whether the title says the text is a speech in full (`…致辞全文`, `讲话实录`): then all of it is the speaker's. */
  titleAnnouncesFullText(): boolean {
    return FULL_TEXT.test(this.title);
  }

  private speakerNamedBy(mentions: readonly Mention[], line: string): Speaker | null {
    const speakers = mentions.filter((mention) => HOSTS.test(mention.after) || SPEAKS.test(mention.after));
    const names = new Set(speakers.map((mention) => shadowOf(mention.name)));
    if (names.size === 1) {
      const mention = speakers[0]!;
      return { name: mention.name, role: mention.role ?? this.roleOf(mention.name), attribution: 'title' };
    }
    const titled = names.size === 0 ? SURNAME_TITLE_AT_START.exec(line) : null;
    if (titled && SPEAKS.test(line.slice(titled[0].length))) {
      const holder = this.holderOf(titled[2]!, titled[1]!);
      return holder && { ...holder, attribution: 'title' };
    }
    return null;
  }

  /** The role the title, lead or header gives `name`, if any. */
  roleOf(name: string): string | null {
    const wanted = shadowOf(name);
    return this.mentions.find((mention) => mention.role !== null && shadowOf(mention.name) === wanted)?.role ?? null;
  }

  /** Whether the document introduces `name` with a role (so it is a name even if it is also a word). */
  introduces(name: string): boolean {
    const wanted = shadowOf(name);
    return this.mentions.some((mention) => mention.role !== null && shadowOf(mention.name) === wanted);
  }

  /**
   * The first person `line` names (its subject, in a lead), completed from the document's mentions; a
   * surname and a title (`蔡总统发表…`) is the person the document names with both.
   */
  firstPersonIn(line: Shadowed): Speaker | null {
    const mention = mentionsIn(line, 'lead')[0];
    const titled = SURNAME_TITLE_IN_TEXT.exec(line.norm);
    if (titled && (!mention || titled.index < mention.at)) {
      const holder = this.holderOf(titled[2]!, titled[1]!);
      if (holder) return { ...holder, attribution: 'lead' };
    }
    if (!mention) return null;
    const known = this.mentions.find((m) => m.role !== null && shadowOf(m.name) === shadowOf(mention.name));
    return { name: mention.name, role: mention.role ?? known?.role ?? null, attribution: 'lead' };
  }
}

function attributionOf(place: MentionPlace): Attribution {
  return place === 'header-list' ? 'header-list' : place;
}
