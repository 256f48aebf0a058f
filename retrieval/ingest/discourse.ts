/**
 * The discourse pass: who holds the floor in the paragraphs no label or name
 * line gave a speaker, read in order over the whole document.
 * - News reports what people said: a paragraph that opens with a person and a
 *   reporting verb (`[会上，]研究员王某某[还]表示，…`) is theirs; `他说，…` right
 *   after takes up that person; numbered points after a report that ends in a
 *   colon, and a paragraph that is only a quotation, continue it. Other
 *   paragraphs are the reporter's and stay unsigned.
 * - A speech quotes others (`习近平总书记指出，…` in a mayor's speech): in a text
 *   that speaks in the first person (outside quotations, more often than it
 *   reports), reports are quotations, never turns.
 * - A speaker named only once, up front: by the title (`外交部发言人华某某主持
 *   例行记者会` — the opening statement before the first question is hers;
 *   `王某某在…上的讲话`), or by a lead (`王某某发表谈话，全文如下：`).
 * When unsure, a paragraph stays unsigned.
 */
import { newSection, type Section, type Speaker } from './document.js';
import type { DocumentContext } from './document-context.js';
import { readReportedOpening, type ReportedSubject } from './parse-reported.js';
import { shadowOf } from './shadow.js';
import { tagWords } from './words.js';

/** `我们`, `我`, `咱们` as words (not `我国`/`我市`, which news uses too, nor `无私无我`): jieba's pronouns. */
const FIRST_PERSON = new Set(['我', '我们', '咱们', '咱']);
/** Quotations, to the end of the paragraph when a page cut the closing mark. */
const QUOTED = /“[^”]*(?:”|$)|「[^」]*(?:」|$)|『[^』]*(?:』|$)|"[^"]*(?:"|$)/g;

function inFirstPerson(reading: Reading): boolean {
  return tagWords(reading.norm.replace(QUOTED, '')).some((word) => word.tag === 'r' && FIRST_PERSON.has(word.word));
}
/** A paragraph that is only a quotation: `“……”` or `「……」`, maybe with closing punctuation. */
const QUOTE_ONLY = /^(?:“[^“”]+”|「[^「」]+」|『[^『』]+』)[。!?]?$/;
/** Numbered points that go on from a report (`…有三个特点。` or `…主张：`): `第一，…`, `一是…`, `（一）…`, `1.…`. */
const NUMBERED_POINT = /^(?:第[一二三四五六七八九十]+[,、]|[一二三四五六七八九十]+是|\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+、|\d{1,2}[.、])/;
/** A lead that hands over to a text in full: `…发表谈话，全文如下：`, `以下为某某的致辞全文：`. */
const HANDS_OVER = /全文如下|如下:?$|以下(?:是|为)[^。]{0,40}?(?:全文|实录|讲话|谈话|致辞|致词|发言|演讲)|(?:讲话|谈话|致辞|致词|发言|演讲)全文:?$/;
/** How many paragraphs must speak, and in what share in the first person, for a text to be a speech. */
const SPEECH_MIN_PARAGRAPHS = 3;
const SPEECH_FIRST_PERSON_SHARE = 0.3;

interface Reading {
  text: string;
  norm: string;
  heading: string | null;
  opening: ReportedSubject | null;
}

/** Whether the unsigned text speaks in the first person outside quotations, as a speech does and a report does not. */
function speaksInFirstPerson(readings: readonly Reading[]): boolean {
  const narration = readings.filter((reading) => reading.opening === null);
  const reports = readings.length - narration.length;
  const firstPerson = narration.filter(inFirstPerson).length;
  return narration.length >= SPEECH_MIN_PARAGRAPHS && firstPerson / narration.length >= SPEECH_FIRST_PERSON_SHARE && firstPerson > reports;
}

function mentions(reading: Reading, speaker: Speaker): boolean {
  return reading.norm.includes(shadowOf(speaker.name));
}

/** The person a lead paragraph hands the text over to: the first it names (its subject), or the title's speaker. */
function handedOverTo(reading: Reading, context: DocumentContext): Speaker | null {
  const handOver = HANDS_OVER.exec(reading.norm);
  if (!handOver) return null;
  // Only what comes before the hand-over names the speaker; a salutation may follow on the same line.
  const end = handOver.index + handOver[0].length;
  const named = context.firstPersonIn({ text: reading.text.slice(0, end), norm: reading.norm.slice(0, end) });
  if (named) return named;
  if (reading.opening?.kind === 'person') return { ...reading.opening.speaker, attribution: 'lead' };
  const holder = context.titleSpeaker();
  return holder && mentions(reading, holder) ? { ...holder, attribution: 'lead' } : null;
}

/**
 * Gives the unsigned paragraphs of `sections` their speakers where the discourse says who holds the floor,
 * splitting sections where the speaker changes. `turns` are the sections a label opened (left as they are).
 */
export function attributeDiscourse(sections: readonly Section[], turns: ReadonlySet<Section>, context: DocumentContext): Section[] {
  const isUnsigned = (section: Section) => section.speaker === null && section.turn === null && !turns.has(section);
  const readings = new Map<Section, Reading[]>();
  for (const section of sections.filter(isUnsigned)) {
    readings.set(section, section.paragraphs.map((paragraph) => {
      const norm = shadowOf(paragraph.text);
      return { text: paragraph.text, norm, heading: paragraph.heading, opening: readReportedOpening({ text: paragraph.text, norm }) };
    }));
  }
  const unsigned = [...readings.values()].flat();
  const isSpeech = speaksInFirstPerson(unsigned);
  const titleSpeaker = context.titleSpeaker();
  const firstTurn = sections.findIndex((section) => turns.has(section));
  // The title's speaker holds the floor where no one else does: before the first question of a transcript, or in
  // a whole speech — never in text that names them in the third person (a report about them).
  const reportedOn = titleSpeaker !== null && unsigned.some((reading) => mentions(reading, titleSpeaker));
  const titleHolds = (index: number, reading: Reading) =>
    titleSpeaker !== null && !mentions(reading, titleSpeaker) && (firstTurn >= 0 ? index < firstTurn : isSpeech && !reportedOn);

  const result: Section[] = [];
  /** The speaker of the paragraph before, when it was reported (or continued a report): numbered points go on from it. */
  let previous: { speaker: Speaker | null; reported: boolean } = { speaker: null, reported: false };
  let handedOver: Speaker | null = null;
  sections.forEach((section, index) => {
    const sectionReadings = readings.get(section);
    if (!sectionReadings) {
      result.push(section);
      const speaker = section.turn === null ? section.speaker : null;
      previous = { speaker, reported: false };
      if (speaker) handedOver = null;
      return;
    }
    let run: Section | null = null;
    for (const reading of sectionReadings) {
      const speaker = speakerOf(reading);
      if (!run || run.speaker?.name !== speaker?.name || run.speaker?.attribution !== speaker?.attribution) {
        run = { ...newSection(section.title, speaker), reporter: section.reporter };
        result.push(run);
      }
      run.paragraphs.push({ text: reading.text, heading: reading.heading });
      previous = { speaker, reported: speaker?.attribution === 'reported' || speaker?.attribution === 'continuation' };
      handedOver ??= handedOverTo(reading, context);
    }

    function speakerOf(reading: Reading): Speaker | null {
      if (handedOver) return { ...handedOver };
      if (titleHolds(index, reading)) return { ...titleSpeaker!, attribution: 'title' };
      if (isSpeech) return null;
      const opening = reading.opening;
      if (opening?.kind === 'person') return !opening.needsVoucher || context.introduces(opening.speaker.name) ? opening.speaker : null;
      if (opening?.kind === 'pronoun') return previous.speaker && { ...previous.speaker, attribution: 'reported' };
      if (opening?.kind === 'role') {
        const holder = context.holderOf(opening.role, opening.surname);
        return holder && { ...holder, attribution: 'reported' };
      }
      const continues = previous.reported && (NUMBERED_POINT.test(reading.norm) || QUOTE_ONLY.test(reading.norm));
      return continues && previous.speaker ? { ...previous.speaker, attribution: 'continuation' } : null;
    }
  });
  return result;
}
