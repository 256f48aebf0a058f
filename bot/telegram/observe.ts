/**
 * One log line and the metrics for every update: its id, chat type, kind,
 * outcome, result count and latency. The question itself only at debug level.
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from './context.js';
import type { Logger } from './log.js';
import type { BotMetrics } from './metrics.js';

export function updateKind(update: object): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}

export function observe(logger: Logger, metrics: BotMetrics): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const started = performance.now();
    const kind = updateKind(ctx.update);
    ctx.report = { outcome: 'handled' };
    metrics.updates.inc({ kind });
    try {
      await next();
    } catch (error) {
      ctx.report.outcome = 'error';
      throw error;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const { outcome, results } = ctx.report;
      if (outcome === 'answered' || outcome === 'not-found' || outcome === 'hint') {
        metrics.answers.inc({ outcome });
        metrics.answerLatency.observe(seconds);
      }
      if (outcome === 'refused') metrics.refusals.inc();
      if (outcome === 'error') metrics.errors.inc();
      const line = {
        update: ctx.update.update_id,
        chat: ctx.chat?.type ?? (ctx.inlineQuery ? 'inline' : undefined),
        kind,
        outcome,
        ...(results === undefined ? {} : { results }),
        ms: Math.round(seconds * 1000),
      };
      if (logger.isLevelEnabled('debug')) logger.debug({ ...line, text: ctx.msg?.text ?? ctx.inlineQuery?.query ?? ctx.callbackQuery?.data }, 'update');
      else logger.info(line, 'update');
    }
  };
}
