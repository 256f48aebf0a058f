/** /about: which index is in use: when it was built, with which model (or full-text only) and its calibration, how big. */
import { Composer } from 'grammy';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { replyHtml } from '../telegram/reply.js';

export function aboutFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('about', async (ctx) => {
    const engine = holder.current;
    const model = engine.hasVectors ? (engine.manifest.vectors?.model ?? null) : null;
    const calibration = model ? engine.manifest.vectors?.calibration : undefined;
    const about = ctx.m.aboutHtml(model, engine.manifest.builtAt, engine.catalogue.counts);
    await replyHtml(ctx, calibration ? `${about}\n${ctx.m.calibrationHtml(calibration)}` : about, ctx.msg.message_id);
  });
  return feature;
}
