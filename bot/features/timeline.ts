/** /timeline <topic>: the passages on a topic by date, counted per period, a page at a time. */
import type { Composer } from 'grammy';
import type { EngineHolder } from '../../retrieval/api.js';
import { timelineView } from '../research.js';
import type { BotContext } from '../telegram/context.js';
import { pagedViewFeature } from './paged-view.js';

export function timelineFeature(holder: EngineHolder): Composer<BotContext> {
  return pagedViewFeature('timeline', 'tl', holder, timelineView);
}
