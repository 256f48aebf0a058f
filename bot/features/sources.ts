/** /sources: the documents of the corpus and, for compilations, the speeches in them. */
import { Composer } from 'grammy';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { sourcesHtml } from '../presentation/format.js';
import { replyHtml } from '../telegram/reply.js';

export function sourcesFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('sources', (ctx) => replyHtml(ctx, sourcesHtml(holder.current.catalogue.documents, ctx.m), ctx.msg.message_id));
  return feature;
}
