/**
 * What readers see of feedback: the 👍/👎 row under an answer, the
 * "speaker wrong?" button on a quote, and the notices, prompts and thanks in
 * Chinese and English (the reader's Telegram language, as i18n.ts decides).
 */
import { encodeCallbackData, HASH_PREFIX_LENGTH } from './callback-data.js';
import type { Button } from './format.js';
import { escapeHtml } from './html.js';
import type { Language } from './i18n.js';

/** 👍 is 1, 👎 is -1, as the store keeps them (feedback/feedback-store.ts). */
type Vote = 1 | -1;
/** A first vote, one changed, or the same again. */
type VoteOutcome = 'new' | 'changed' | 'same';

const VOTE_EMOJI: Record<Vote, string> = { 1: '👍', [-1]: '👎' };

/** The 👍/👎 row of an answer whose first quote is result `offset` + 1 (votes on a not-found answer have none). */
export function voteRow(offset: number): Button[] {
  return [
    { text: VOTE_EMOJI[1], data: encodeCallbackData({ kind: 'up', offset }) },
    { text: VOTE_EMOJI[-1], data: encodeCallbackData({ kind: 'dn', offset }) },
  ];
}

/** An answer's buttons with the vote row under them. */
export function withVoteRow(buttons: Button[][], offset: number): Button[][] {
  return [...buttons, voteRow(offset)];
}

export function speakerWrongButton(contentHash: string, f: FeedbackMessages): Button {
  return { text: f.speakerWrongButton, data: encodeCallbackData({ kind: 'spw', hash: contentHash.slice(0, HASH_PREFIX_LENGTH) }) };
}

/** An inline result is one quote: its votes and its "speaker wrong?" in one row. */
export function inlineResultRow(contentHash: string, f: FeedbackMessages): Button[] {
  const hash = contentHash.slice(0, HASH_PREFIX_LENGTH);
  return [
    { text: VOTE_EMOJI[1], data: encodeCallbackData({ kind: 'iup', hash }) },
    { text: VOTE_EMOJI[-1], data: encodeCallbackData({ kind: 'idn', hash }) },
    speakerWrongButton(contentHash, f),
  ];
}

/** The /start payload of a deep link that asks for the right speaker of a quote (t.me/bot?start=…: A-Z, a-z, 0-9, _ and -). */
export const NAME_LINK_PREFIX = 'spw-';

export function nameLink(botUsername: string, contentHash: string): string {
  return `https://t.me/${botUsername}?start=${NAME_LINK_PREFIX}${contentHash.slice(0, HASH_PREFIX_LENGTH)}`;
}

const zh = {
  speakerWrongButton: '⚠️ 讲话人有误?',
  voteNoted: (vote: Vote, outcome: VoteOutcome): string =>
    outcome === 'new' ? `谢谢!已记下 ${VOTE_EMOJI[vote]}`
    : outcome === 'changed' ? `已改为 ${VOTE_EMOJI[vote]}`
    : `已记下 ${VOTE_EMOJI[vote]};要改,请点 ${VOTE_EMOJI[vote === 1 ? -1 : 1]}`,
  flagNoted: (again: boolean): string => (again ? '这段你已经标记过了,谢谢。' : '谢谢!已标记:这段的讲话人可能有误。'),
  nameLinkNote: '谢谢!已标记。可在与我的私聊中写上正确的讲话人。',
  namePromptHtml: (shown: string | null, mentionHtml: string) =>
    `${mentionHtml}这段话是谁说的?请<b>回复本消息</b>写上正确的讲话人姓名(可不填)。\n目前标注:${shown ? escapeHtml(shown) : '未署名'}`,
  namePlaceholder: '正确的讲话人姓名',
  nameNoted: (name: string) => `谢谢!已记下:${name}`,
  staleQuote: '这段原文已不在索引中(语料可能已更新),请重新提问。',
  consoleHint: (quotes: number): string => `+ 有用 · - 没用${quotes > 0 ? ' · !N [姓名]:第 N 条的讲话人有误,例如 !1 或 !1 王某' : ''}`,
  consoleNothingToRate: '还没有可评价的回答:先提个问题。',
  consoleNoQuote: (n: number, quotes: number) => `没有第 ${n} 条引文(上一个回答有 ${quotes} 条)。`,
  consoleFlagNoted: (n: number, name: string | null) => `谢谢!已标记第 ${n} 条的讲话人可能有误${name ? `,建议:${name}` : ''}。`,
};

export type FeedbackMessages = typeof zh;

const en: FeedbackMessages = {
  speakerWrongButton: '⚠️ Wrong speaker?',
  voteNoted: (vote, outcome) =>
    outcome === 'new' ? `Thanks! Noted ${VOTE_EMOJI[vote]}`
    : outcome === 'changed' ? `Changed to ${VOTE_EMOJI[vote]}`
    : `Already noted ${VOTE_EMOJI[vote]}; tap ${VOTE_EMOJI[vote === 1 ? -1 : 1]} to change it`,
  flagNoted: (again) => (again ? 'You flagged this quote already, thanks.' : 'Thanks! The speaker of this quote is flagged for review.'),
  nameLinkNote: 'Thanks, flagged! You can name the right speaker in a private chat with me.',
  namePromptHtml: (shown, mentionHtml) =>
    `${mentionHtml}Who said it? <b>Reply to this message</b> with the right speaker’s name (optional).\nShown now: ${shown ? escapeHtml(shown) : 'unsigned'}`,
  namePlaceholder: 'the right speaker’s name',
  nameNoted: (name) => `Thanks! Noted: ${name}`,
  staleQuote: 'This quote is no longer in the index (the corpus may have changed). Please ask again.',
  consoleHint: (quotes) => `+ helpful · - not helpful${quotes > 0 ? ' · !N [name]: the speaker of quote N is wrong, e.g. !1 or !1 Wang' : ''}`,
  consoleNothingToRate: 'Nothing to rate yet: ask a question first.',
  consoleNoQuote: (n, quotes) => `There is no quote ${n} (the last answer has ${quotes}).`,
  consoleFlagNoted: (n, name) => `Thanks! The speaker of quote ${n} is flagged for review${name ? `; suggested: ${name}` : ''}.`,
};

export function feedbackMessagesFor(language: Language): FeedbackMessages {
  return language === 'zh' ? zh : en;
}
