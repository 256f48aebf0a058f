/**
 * The data behind inline buttons: short strings (Telegram allows 64 bytes)
 * that say what to do, validated with zod when a button is pressed, since
 * old messages and other clients can send anything.
 *
 *   more:<offset>  the next results of the question this answer replies to
 *   ctx:<hash>     the paragraphs around a quoted one (12-hex content-hash prefix, stable across re-indexing)
 *   ask:<n>        ask example question n (from /start)
 *   spk:<page>     a page of /speakers
 *   up:<offset>    👍 on an answer whose first quote is result offset + 1 (the quotes are the context buttons beside it)
 *   dn:<offset>    👎 on the same
 *   iup:<hash>     👍 on an inline result, the quote of that paragraph
 *   idn:<hash>     👎 on the same
 *   spw:<hash>     "speaker wrong?" on the quote of that paragraph
 *   tl:<offset>    the next page of the /timeline this message replies to
 *   cmp:<offset>   the next page of the /compare this message replies to
 *   sq:<n>         ask term n of the /speaker profile this message replies to, within that speaker's passages
 */
import { z } from 'zod';

export const MAX_CALLBACK_DATA_BYTES = 64;
export const HASH_PREFIX_LENGTH = 12;

/** A number of at most four digits, written out: nothing (`more:`), a sign or a fraction is no index. */
const index = z.string().regex(/^\d{1,4}$/).transform(Number);
const hash = z.string().regex(new RegExp(`^[0-9a-f]{${HASH_PREFIX_LENGTH}}$`));

const callbackDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('more'), offset: index }),
  z.object({ kind: z.literal('ctx'), hash }),
  z.object({ kind: z.literal('ask'), example: index }),
  z.object({ kind: z.literal('spk'), page: index }),
  z.object({ kind: z.literal('up'), offset: index }),
  z.object({ kind: z.literal('dn'), offset: index }),
  z.object({ kind: z.literal('iup'), hash }),
  z.object({ kind: z.literal('idn'), hash }),
  z.object({ kind: z.literal('spw'), hash }),
  z.object({ kind: z.literal('tl'), offset: index }),
  z.object({ kind: z.literal('cmp'), offset: index }),
  z.object({ kind: z.literal('sq'), example: index }),
]);

export type CallbackData = z.infer<typeof callbackDataSchema>;

const argumentOf: { [K in CallbackData['kind']]: keyof Omit<Extract<CallbackData, { kind: K }>, 'kind'> } = {
  more: 'offset',
  ctx: 'hash',
  ask: 'example',
  spk: 'page',
  up: 'offset',
  dn: 'offset',
  iup: 'hash',
  idn: 'hash',
  spw: 'hash',
  tl: 'offset',
  cmp: 'offset',
  sq: 'example',
};

export function encodeCallbackData(data: CallbackData): string {
  const value = (data as Record<string, unknown>)[argumentOf[data.kind]];
  return `${data.kind}:${String(value)}`;
}

/** The button's meaning, or null for data this bot never made (or made by an older, incompatible version). */
export function decodeCallbackData(raw: string | undefined): CallbackData | null {
  if (raw === undefined || Buffer.byteLength(raw) > MAX_CALLBACK_DATA_BYTES) return null;
  const separator = raw.indexOf(':');
  if (separator < 0) return null;
  const kind = raw.slice(0, separator);
  if (!(kind in argumentOf)) return null;
  const parsed = callbackDataSchema.safeParse({ kind, [argumentOf[kind as CallbackData['kind']]]: raw.slice(separator + 1) });
  return parsed.success ? parsed.data : null;
}
