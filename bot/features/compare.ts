/** /compare <a> <b> <topic>: two speakers or sources on one topic, their passages in turn, a page at a time. */
import type { Composer } from 'grammy';
import type { EngineHolder } from '../../retrieval/api.js';
import { compareView } from '../research.js';
import type { BotContext } from '../telegram/context.js';
import { pagedViewFeature } from './paged-view.js';

export function compareFeature(holder: EngineHolder): Composer<BotContext> {
  return pagedViewFeature('compare', 'cmp', holder, compareView);
}
