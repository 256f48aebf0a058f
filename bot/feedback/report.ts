/**
 * What `npm run feedback` makes of the stored feedback, as pure functions:
 * questions by how readers rated their answers (worst first, with what was
 * shown), passages whose speaker readers flagged (with where they are now,
 * who the index says spoke and how it was attributed, and the names readers
 * suggested); and from these, test questions in the dev question-set format
 * and `.meta.json` correction stubs. Paragraphs are looked up by content hash
 * in the index in use, so a paragraph that moved since is found where it is.
 */
import crypto from 'node:crypto';
import type { DocumentMeta, StoredParagraph } from '../../retrieval/api.js';
import type { FeedbackChannel, ShownPassage, StoredFlag, StoredVote } from './feedback-store.js';

export interface RatedQuestion {
  /** null for an inline result's votes: its question was never sent to the bot. */
  question: string | null;
  up: number;
  down: number;
  /** What the answer showed: the latest 👎's passages, or the latest vote's when none is 👎. */
  shown: ShownPassage[];
  votes: { vote: 1 | -1; channel: FeedbackChannel; at: string }[];
}

export interface FlaggedPassage {
  contentHash: string;
  flags: number;
  /** Names readers suggested, most often first. */
  names: { name: string; count: number }[];
  /** The speakers readers were shown when they flagged it, and how each was attributed. */
  shownAs: { name: string | null; attribution: string | null }[];
  channels: FeedbackChannel[];
  lastFlagged: string;
}

export interface FeedbackSummary {
  votes: { up: number; down: number };
  questions: RatedQuestion[];
  flagged: FlaggedPassage[];
}

/** The paragraphs of the index in use by content hash (or the prefix a button held); null where it has none. */
export type Paragraphs = ReadonlyMap<string, StoredParagraph | null>;

function countBy<T>(items: T[], key: (item: T) => string): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count);
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

/** The same question asked again counts together: compared without white space and case. */
const questionKey = (question: string) => question.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

export function summarise(votes: StoredVote[], flags: StoredFlag[]): FeedbackSummary {
  const byQuestion = new Map<string, StoredVote[]>();
  for (const vote of votes) {
    // An inline result's votes are about its one quote: grouped by it.
    const key = vote.question !== null ? `q:${questionKey(vote.question)}` : `inline:${vote.shown[0]?.hash ?? ''}`;
    byQuestion.set(key, [...(byQuestion.get(key) ?? []), vote]);
  }
  const questions = [...byQuestion.values()].map((group): RatedQuestion => {
    const latest = [...group].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    return {
      question: latest[0]!.question,
      up: group.filter((v) => v.vote === 1).length,
      down: group.filter((v) => v.vote === -1).length,
      shown: (latest.find((v) => v.vote === -1) ?? latest[0]!).shown,
      votes: group.map((v) => ({ vote: v.vote, channel: v.channel, at: v.updatedAt })),
    };
  });
  questions.sort((a, b) => b.down - b.up - (a.down - a.up) || b.down - a.down);

  const byPassage = new Map<string, StoredFlag[]>();
  for (const flag of flags) byPassage.set(flag.contentHash, [...(byPassage.get(flag.contentHash) ?? []), flag]);
  const flagged = [...byPassage].map(([contentHash, group]): FlaggedPassage => ({
    contentHash,
    flags: group.length,
    names: countBy(group.filter((f) => f.suggestedName), (f) => f.suggestedName!).map(({ key, count }) => ({ name: key, count })),
    shownAs: uniqueBy(group, (f) => `${f.speakerShown}|${f.attributionShown}`).map((f) => ({ name: f.speakerShown, attribution: f.attributionShown })),
    channels: [...new Set(group.map((f) => f.channel))],
    lastFlagged: group.map((f) => f.updatedAt).sort().at(-1)!,
  }));
  flagged.sort((a, b) => b.flags - a.flags || b.lastFlagged.localeCompare(a.lastFlagged));

  return { votes: { up: votes.filter((v) => v.vote === 1).length, down: votes.filter((v) => v.vote === -1).length }, questions, flagged };
}

/** Every hash the summary refers to, to look up in the index. */
export function hashesOf(summary: FeedbackSummary): string[] {
  return [...new Set([...summary.questions.flatMap((q) => q.shown.map((s) => s.hash)), ...summary.flagged.map((f) => f.contentHash)])];
}

function speakerText(speaker: StoredParagraph['speaker']): string {
  return speaker ? `${speaker.name}${speaker.role ? `(${speaker.role})` : ''} [${speaker.attribution}]` : 'unsigned';
}

function excerpt(text: string, length = 60): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > length ? `${line.slice(0, length)}…` : line;
}

/** Where a paragraph is now, for a person: file, section, paragraph. */
function placeText(paragraph: StoredParagraph): string {
  const section = `section ${paragraph.section.index}${paragraph.section.title ? ` 《${paragraph.section.title}》` : ''}`;
  return `${paragraph.document.file} 《${paragraph.document.title}》 · ${section} · paragraph ${paragraph.position}`;
}

const NOT_IN_INDEX = '(no longer in the index: its text changed or its document was removed)';

/** The readable report. */
export function reportText(summary: FeedbackSummary, paragraphs: Paragraphs): string {
  const lines: string[] = [];
  const { questions, flagged } = summary;
  lines.push(
    `Feedback: ${summary.votes.up} 👍 and ${summary.votes.down} 👎 on ${questions.length} questions; ` +
      `${flagged.length} passage${flagged.length === 1 ? '' : 's'} flagged as wrongly attributed.`,
  );
  const rated = questions.filter((q) => q.down > 0);
  lines.push('', `## Worst-rated questions (${rated.length})`);
  if (rated.length === 0) lines.push('', 'None rated 👎.');
  for (const q of rated) {
    lines.push('', `${q.down} 👎 ${q.up} 👍  ${q.question ?? '(inline result; the question stays with whoever typed it)'}`);
    lines.push(`   from: ${[...new Set(q.votes.map((v) => v.channel))].join(', ')}; last ${q.votes.map((v) => v.at).sort().at(-1)}`);
    if (q.shown.length === 0) lines.push('   shown: no passage (answered "not found")');
    for (const passage of q.shown) {
      const paragraph = paragraphs.get(passage.hash);
      lines.push(
        paragraph
          ? `   ${passage.position}. ${excerpt(paragraph.text)}\n      — ${speakerText(paragraph.speaker)} · ${placeText(paragraph)}`
          : `   ${passage.position}. ${passage.hash.slice(0, 12)} ${NOT_IN_INDEX}`,
      );
    }
  }
  lines.push('', `## Passages flagged as wrongly attributed (${flagged.length})`);
  if (flagged.length === 0) lines.push('', 'None.');
  for (const f of flagged) {
    const paragraph = paragraphs.get(f.contentHash);
    lines.push('', `${f.flags} flag${f.flags === 1 ? '' : 's'} · ${f.contentHash.slice(0, 12)} · last ${f.lastFlagged} · from ${f.channels.join(', ')}`);
    if (!paragraph) {
      lines.push(`   ${NOT_IN_INDEX}`);
    } else {
      lines.push(`   ${placeText(paragraph)}`, `   「${excerpt(paragraph.text, 120)}」`);
      const corrected = paragraph.speaker !== null && f.names.some((n) => n.name === paragraph.speaker!.name);
      lines.push(`   speaker now: ${speakerText(paragraph.speaker)}${corrected ? ' — as suggested' : ''}`);
    }
    const shownAs = f.shownAs.map((s) => (s.name ? `${s.name} [${s.attribution}]` : 'unsigned')).join('; ');
    lines.push(`   shown to readers as: ${shownAs}`);
    lines.push(`   suggested: ${f.names.length > 0 ? f.names.map((n) => `${n.name} (${n.count})`).join(', ') : '(no name given)'}`);
  }
  return `${lines.join('\n')}\n`;
}

function paragraphJson(paragraph: StoredParagraph | null | undefined) {
  if (!paragraph) return { inIndex: false };
  return {
    inIndex: true,
    document: { file: paragraph.document.file, title: paragraph.document.title, date: paragraph.document.date },
    section: { index: paragraph.section.index, title: paragraph.section.title },
    paragraph: paragraph.position,
    speaker: paragraph.speaker && { name: paragraph.speaker.name, role: paragraph.speaker.role, attribution: paragraph.speaker.attribution },
    text: paragraph.text,
  };
}

/** One JSON object a line: `{"type":"question",…}` for each rated question, `{"type":"flag",…}` for each flagged passage. */
export function reportJsonl(summary: FeedbackSummary, paragraphs: Paragraphs): string[] {
  return [
    ...summary.questions.map((q) =>
      JSON.stringify({
        type: 'question',
        question: q.question,
        up: q.up,
        down: q.down,
        votes: q.votes,
        shown: q.shown.map((s) => ({ contentHash: s.hash, position: s.position, ...paragraphJson(paragraphs.get(s.hash)) })),
      }),
    ),
    ...summary.flagged.map((f) =>
      JSON.stringify({
        type: 'flag',
        contentHash: f.contentHash,
        flags: f.flags,
        suggestedNames: f.names,
        shownAs: f.shownAs,
        channels: f.channels,
        lastFlagged: f.lastFlagged,
        ...paragraphJson(paragraphs.get(f.contentHash)),
      }),
    ),
  ];
}

/**
 * The 👎 questions as lines of the dev question set (../shared/eval/dev.jsonl: id, q, lang, kind, gold, …), gold left
 * to fill: `shown` says what the bot answered, to help whoever fills it. No speaker field, so that eval does not judge
 * the speaker until one is given. Questions in `known` (already in the file) are left out.
 */
export function evalQuestions(summary: FeedbackSummary, paragraphs: Paragraphs, known: ReadonlySet<string>): object[] {
  return summary.questions
    .filter((q): q is RatedQuestion & { question: string } => q.down > 0 && q.question !== null && !known.has(questionKey(q.question)))
    .map((q) => {
      const lang = /\p{Script=Han}/u.test(q.question) ? 'zh' : 'en';
      return {
        id: `fb-${crypto.createHash('sha256').update(questionKey(q.question)).digest('hex').slice(0, 8)}`,
        q: q.question,
        lang,
        kind: lang === 'en' ? 'en' : 'feedback',
        gold: [],
        note: `from reader feedback: ${q.down} 👎 ${q.up} 👍; fill gold with phrases of the passages that answer it, or set kind "none" if the corpus does not`,
        shown: q.shown.map((s) => {
          const paragraph = paragraphs.get(s.hash);
          return { rank: s.position, source: paragraph?.document.file ?? null, speaker: paragraph?.speaker?.name ?? null, text: paragraph ? excerpt(paragraph.text, 80) : null };
        }),
      };
    });
}

/** The questions of an eval file, compared as the summary compares them. */
export function evalFileQuestions(lines: { q: string }[]): Set<string> {
  return new Set(lines.map((line) => questionKey(line.q)));
}

export interface SpeakerCorrection {
  file: string;
  section: number;
  /** The most suggested name, or null (no name given: the stub removes the attribution, better unsigned than wrong). */
  speaker: { name: string; role: null } | null;
  /** Other names suggested for the same section, for whoever reviews the stub. */
  alternatives: string[];
  flags: number;
}

/**
 * One correction per flagged section still in the index, from the names suggested for its flagged paragraphs. A
 * section whose speaker is already the one suggested needs none.
 */
export function speakerCorrections(summary: FeedbackSummary, paragraphs: Paragraphs): SpeakerCorrection[] {
  const bySection = new Map<string, { paragraph: StoredParagraph; flagged: FlaggedPassage[] }>();
  for (const f of summary.flagged) {
    const paragraph = paragraphs.get(f.contentHash);
    if (!paragraph) continue;
    const key = `${paragraph.document.file}#${paragraph.section.index}`;
    const entry = bySection.get(key) ?? { paragraph, flagged: [] };
    entry.flagged.push(f);
    bySection.set(key, entry);
  }
  const corrections: SpeakerCorrection[] = [];
  for (const { paragraph, flagged } of bySection.values()) {
    const names = countBy(flagged.flatMap((f) => f.names.flatMap((n) => Array<string>(n.count).fill(n.name))), (name) => name);
    const name = names[0]?.key ?? null;
    if (name !== null && paragraph.speaker?.name === name) continue;
    if (name === null && paragraph.speaker === null) continue;
    corrections.push({
      file: paragraph.document.file,
      section: paragraph.section.index,
      speaker: name === null ? null : { name, role: null },
      alternatives: names.slice(1).map((n) => n.key),
      flags: flagged.reduce((sum, f) => sum + f.flags, 0),
    });
  }
  return corrections.sort((a, b) => a.file.localeCompare(b.file) || a.section - b.section);
}

/** A document's meta with the corrections of its sections applied: its other fields and sections are kept. */
export function withCorrections(meta: DocumentMeta, corrections: SpeakerCorrection[]): DocumentMeta {
  const sections = [...meta.sections];
  for (const correction of corrections) {
    const at = sections.findIndex((s) => s.index === correction.section);
    const section = { ...sections[at], index: correction.section, speaker: correction.speaker };
    if (at >= 0) sections[at] = section;
    else sections.push(section);
  }
  return { ...meta, sections: sections.sort((a, b) => a.index - b.index) };
}
