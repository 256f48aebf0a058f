/**
 * Feedback in the console chat, as readers give it in Telegram: after an
 * answer, `+` or `-` rates it (the other one changes the rating), `!N` says
 * the speaker of quote N is wrong, `!N name` names the right one. Stored
 * like the bot's (bot/feedback/), from the channel "console".
 */
import crypto from 'node:crypto';
import type { Feedback } from '../feedback/open-feedback.js';
import type { Answer } from '../presentation/format.js';
import type { FeedbackMessages } from '../presentation/feedback.js';

const VOTE = /^\s*([+＋\-－])\s*$/;
const FLAG = /^\s*[!！]\s*(\d+)\s*(.*?)\s*$/;

type Rated = Exclude<Answer, { kind: 'hint' }>;

export class ConsoleFeedback {
  /** This run of the console: its reader, and its answers, get pseudonyms of their own. */
  private readonly session = crypto.randomUUID();
  private answers = 0;
  private last: { key: string; answer: Rated } | null = null;

  constructor(
    private readonly feedback: Feedback,
    private readonly f: FeedbackMessages,
  ) {}

  private get userHash(): string {
    return this.feedback.pseudonyms.user(`console:${this.session}`);
  }

  /** Remembers the answer just shown, for the feedback that follows; resolves with the line that says how to give it. */
  shown(answer: Answer): string | null {
    if (answer.kind === 'hint') return null;
    this.last = { key: this.feedback.pseudonyms.consoleAnswer(this.session, ++this.answers), answer };
    return this.f.consoleHint(answer.kind === 'found' ? answer.hits.length : 0);
  }

  /** The reply to a line of feedback, or null when the line is something else (a question). */
  async handle(line: string): Promise<string | null> {
    const vote = VOTE.exec(line);
    const flag = FLAG.exec(line);
    if (!vote && !flag) return null;
    if (!this.last) return this.f.consoleNothingToRate;
    const { key, answer } = this.last;
    const hits = answer.kind === 'found' ? answer.hits : [];
    if (vote) {
      const value = vote[1] === '+' || vote[1] === '＋' ? 1 : -1;
      const outcome = await this.feedback.store.vote({
        answerKey: key,
        userHash: this.userHash,
        channel: 'console',
        question: answer.question,
        shown: hits.map((hit) => ({ hash: hit.contentHash, position: hit.rank })),
        vote: value,
      });
      return this.f.voteNoted(value, outcome);
    }
    const rank = Number(flag![1]);
    const hit = hits.find((h) => h.rank === rank);
    if (!hit) return this.f.consoleNoQuote(rank, hits.length);
    const name = flag![2] || null;
    await this.feedback.store.flag({
      contentHash: hit.contentHash,
      userHash: this.userHash,
      channel: 'console',
      speakerShown: hit.speaker?.name ?? null,
      attributionShown: hit.speaker?.attribution ?? null,
      ...(name ? { suggestedName: name } : {}),
    });
    return this.f.consoleFlagNoted(rank, name);
  }
}
