/** Inline mode (@bot question in any chat): up to 10 quotes, each a message of its own with its citation and feedback buttons. */
import { Composer } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import { type EngineHolder, RetrievalError, type SearchHit } from '../../retrieval/api.js';
import type { BotContext } from '../telegram/context.js';
import { feedbackMessagesFor, inlineResultRow } from '../presentation/feedback.js';
import { inlineArticle } from '../presentation/format.js';
import { languageOf } from '../presentation/i18n.js';
import { keyboardOf } from '../telegram/reply.js';

const INLINE_RESULTS = 10;
/** Seconds Telegram may reuse the results: short, so that a re-indexed corpus shows soon. */
const CACHE_SECONDS = 10;

/** Recent searches by query text: several people typing the same words cost one search. */
class RecentHits {
  private readonly entries = new Map<string, { hits: SearchHit[]; expires: number }>();

  async get(query: string, search: () => Promise<SearchHit[]>): Promise<SearchHit[]> {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    const cached = this.entries.get(query);
    if (cached) return cached.hits;
    const hits = await search();
    this.entries.set(query, { hits, expires: now + CACHE_SECONDS * 1000 });
    return hits;
  }
}

export function inlineFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const recent = new RecentHits();
  feature.on('inline_query', async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    const hits = await recent.get(query, () => ctx.search(() => holder.use(async (engine) => {
      if (query === '') return [];
      // Half-typed queries are often not questions yet (an unknown speaker, only punctuation): no results, no error.
      const result = await engine.ask(query, { top: INLINE_RESULTS }).catch((error: unknown) => {
        if (error instanceof RetrievalError) return null;
        throw error;
      });
      return result?.answered ? result.results : [];
    })));
    ctx.report = { outcome: hits.length > 0 ? 'answered' : 'not-found', results: hits.length };
    const f = feedbackMessagesFor(languageOf(ctx.from.language_code));
    const results: InlineQueryResultArticle[] = hits.map((hit) => {
      const article = inlineArticle(hit, query, ctx.m);
      return {
        type: 'article',
        id: article.id,
        title: article.title,
        description: article.description,
        input_message_content: { message_text: article.html, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
        // Whoever reads the quote in that chat can rate it or flag its speaker (features/feedback.ts).
        reply_markup: keyboardOf([inlineResultRow(hit.contentHash, f)])!,
      };
    });
    await ctx.answerInlineQuery(results, { cache_time: CACHE_SECONDS, is_personal: false });
  });
  return feature;
}
