/**
 * The researcher's views as people read them (Telegram HTML; the console reads
 * the same through plainText): a timeline with a text bar per period, a
 * speaker's profile, two sides on one topic. Pure; every quote verbatim, each
 * message within Telegram's 4096 characters (format.ts's `fitting`).
 */
import type { ComparedSide, NameLookup, SearchHit, Side, SpeakerProfile, Timeline } from '../../retrieval/api.js';
import { encodeCallbackData } from './callback-data.js';
import { type Button, citationHtml, fitting, hitTerms, questionEcho, quoteHtml, quoteLayouts, type QuoteLayout, type Reply, shorten } from './format.js';
import { escapeHtml } from './html.js';
import type { Messages } from './i18n.js';

/** Passages per page of a timeline, and per side of a comparison: short quotes, to see many at once. */
export const TIMELINE_PER_PAGE = 5;
export const COMPARE_PER_SIDE = 3;
/** Quote windows of the views, widest first: short, since the view is about the shape and the voices. */
const VIEW_WINDOWS = [160, 100, 60];
const BAR_WIDTH = 12;
/** Documents listed in a profile; a prolific speaker's others are counted. */
const PROFILE_DOCUMENTS = 8;
/** Terms offered as buttons that ask within the speaker's passages. */
export const PROFILE_BUTTONS = 4;
const TOPIC_ECHO_LENGTH = 120;

/** A page of a view: the message and where the next page starts (null on the last). */
export interface ViewPage extends Reply {
  next: number | null;
}

/** Renderings from the widest quotes to the narrowest, for `fitting`. */
const viewLayouts = (count: number) => quoteLayouts(count, VIEW_WINDOWS);

function hitHtml(hit: SearchHit, topic: string, label: string, layout: QuoteLayout, m: Messages): string {
  return `${quoteHtml(hit.text, hitTerms(hit, topic), layout)}\n<b>${escapeHtml(label)}</b> ${citationHtml(hit, m)}`;
}

/** `2021 ██████ 5`: one line per period, bars scaled to the busiest, a period with any passage at least one block. */
export function barLines(counts: { label: string; count: number }[]): string[] {
  const most = Math.max(1, ...counts.map((c) => c.count));
  const width = Math.max(...counts.map((c) => c.label.length));
  return counts.map(({ label, count }) => {
    const bar = '█'.repeat(count === 0 ? 0 : Math.max(1, Math.round((count / most) * BAR_WIDTH)));
    return `${label.padEnd(width)} ${bar}${bar ? ' ' : ''}${count}`;
  });
}

/** The view's title line (what was searched, with its filters) and the notes on how it was searched. */
function headerHtml(icon: string, title: string, notes: string[]): string {
  return [`${icon} <b>${escapeHtml(shorten(title, TOPIC_ECHO_LENGTH))}</b>`, ...notes.map((note) => `<i>${escapeHtml(note)}</i>`)].join('\n');
}

const pageButtons = (next: number | null, kind: 'tl' | 'cmp', m: Messages): Button[][] =>
  next === null ? [] : [[{ text: m.moreButton, data: encodeCallbackData({ kind, offset: next }) }]];

/** A page of the timeline: the counts per period first, then passages `offset` on, each under its period. */
export function timelinePage(timeline: Timeline, notes: string[], offset: number, m: Messages): ViewPage {
  const topic = timeline.result.query;
  const header = headerHtml('🕒', questionEcho(topic, timeline.result.filters, m), notes);
  const total = timeline.ordered.length;
  if (total === 0) return { html: `${header}\n\n${escapeHtml(m.timelineNone)}`, buttons: [], next: null };
  const counts = timeline.periods.map((period) => ({ label: period.period, count: period.hits.length }));
  if (timeline.undated.length > 0) counts.push({ label: m.dateUnknown, count: timeline.undated.length });
  const summary = [
    escapeHtml(m.timelineSummary(total, timeline.granularity, timeline.undated.length, timeline.capped)),
    ...barLines(counts).map((line) => `<code>${escapeHtml(line)}</code>`),
  ].join('\n');
  const periodOf = new Map<SearchHit, string>(timeline.periods.flatMap((period) => period.hits.map((hit) => [hit, period.period] as const)));
  const page = timeline.ordered.slice(offset, offset + TIMELINE_PER_PAGE);
  const { html, count } = fitting(page.length, viewLayouts, (shown, layout) => {
    const entries: string[] = [];
    let heading: string | undefined;
    page.slice(0, shown).forEach((hit, i) => {
      const period = periodOf.get(hit) ?? m.dateUnknown;
      if (period !== heading) entries.push(`<b>── ${escapeHtml(period)} ──</b>`);
      heading = period;
      entries.push(hitHtml(hit, topic, String(offset + i + 1), layout[i]!, m));
    });
    return [header, summary, escapeHtml(m.resultRange(offset + 1, offset + shown, total)), ...entries].join('\n\n');
  });
  const next = offset + count < total ? offset + count : null;
  return { html, buttons: pageButtons(next, 'tl', m), next };
}

/** For a name the index does not know, or knows several of: the closest known names. */
export function nameLookupText(lookup: Exclude<NameLookup, { kind: 'found' }>, m: Messages): string {
  return lookup.kind === 'ambiguous' ? m.ambiguousName(lookup.asked, lookup.candidates) : m.unknownName(lookup.asked, lookup.candidates);
}

function dateRange(first: string | null, last: string | null, m: Messages): string {
  if (first === null) return m.dateUnknown;
  return first === last ? first : `${first} – ${last}`;
}

/** How a profile's button asks within the speaker's passages: the filter syntax of question.ts, the name quoted if it has spaces. */
export function profileQuestions(profile: SpeakerProfile): string[] {
  const name = /\s/.test(profile.name) ? `"${profile.name}"` : profile.name;
  return profile.terms.slice(0, PROFILE_BUTTONS).map((term) => `speaker:${name} ${term.term}`);
}

/** The profile, with buttons asking its first terms within the speaker's passages (profileQuestions). */
export function profilePage(profile: SpeakerProfile, m: Messages): Reply {
  const roles = profile.roles.map((role) => m.profileRole(role.role ?? m.roleUnknown, dateRange(role.first, role.last, m), role.passages));
  const documents = profile.documents.slice(0, PROFILE_DOCUMENTS).map((d) => `• ${d.date ?? m.dateUnknown} 《${d.title}》 (${d.passages})`);
  if (profile.documents.length > PROFILE_DOCUMENTS) documents.push(m.andMore(profile.documents.length - PROFILE_DOCUMENTS));
  const terms = profile.terms.map((t) => t.term);
  const facts = [
    `👤 <b>${escapeHtml(profile.name)}</b>`,
    escapeHtml(`${m.profileLabels.roles}${roles.join('; ')}`),
    escapeHtml(m.profileCounts(profile.passages, profile.documents.length, dateRange(profile.first, profile.last, m))),
    escapeHtml(documents.join('\n')),
    escapeHtml(`${m.profileLabels.terms}${terms.join(' · ') || '—'}`),
  ].join('\n');
  const { html } = fitting(profile.quotes.length, viewLayouts, (shown, layout) => {
    const quotes = profile.quotes.slice(0, shown).map((quote, i) => `${quoteHtml(quote.text, terms, layout[i]!)}\n${citationHtml(quote, m)}`);
    return [facts, `<b>${escapeHtml(m.profileLabels.quotes)}</b>`, ...quotes].join('\n\n');
  });
  const buttons = profileQuestions(profile).map((_, example) => ({ text: m.askWithinButton(terms[example]!), data: encodeCallbackData({ kind: 'sq', example }) }));
  // Two to a row: the terms are short.
  return { html, buttons: [buttons.slice(0, 2), buttons.slice(2)] };
}

const SIDE_LETTERS = ['A', 'B'];

function sideLabel(side: Side, m: Messages): string {
  return side.kind === 'speaker' ? side.name : `${m.filterLabels.source}${side.source}`;
}

/** Both sides' passages from `offset` on, in turn (A1, B1, A2, B2…), so that each point sits beside the other's. */
export function comparePage(topic: string, sides: [ComparedSide, ComparedSide], notes: string[], offset: number, m: Messages): ViewPage {
  // Each side is told by its letter: the citation under a quote names its speaker and source in full.
  const labels = sides.map((side, s) => `${SIDE_LETTERS[s]} ${sideLabel(side.side, m)}`);
  const counts = escapeHtml(sides.map((side, s) => m.compareCount(labels[s]!, side.hits.length)).join(' · '));
  const header = `${headerHtml('⚖️', `${labels.join(' ↔ ')} · ${topic}`, notes)}\n${counts}`;
  const longest = Math.max(...sides.map((side) => side.hits.length));
  const pages = sides.map((side) => side.hits.slice(offset, offset + COMPARE_PER_SIDE));
  const pairs = Math.max(...pages.map((page) => page.length));
  const { html, count } = fitting(pairs, viewLayouts, (shown, layout) => {
    const entries = Array.from({ length: shown }, (_, i) => pages.flatMap((page, s) =>
      page[i] ? [hitHtml(page[i], topic, `${SIDE_LETTERS[s]}${offset + i + 1}`, layout[0]!, m)] : []));
    // A side with nothing (more) to say on the topic says so, rather than leaving a silent gap.
    const silent = pages.flatMap((page, s) => (page.length === 0 ? [`<i>${escapeHtml(m.compareSilent(labels[s]!, offset === 0))}</i>`] : []));
    return [header, ...entries.flat(), ...silent].join('\n\n');
  });
  const next = offset + count < longest ? offset + count : null;
  return { html, buttons: pageButtons(next, 'cmp', m), next };
}
