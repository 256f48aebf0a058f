/**
 * A fake Telegram Bot API server for end-to-end tests.
 *
 * It speaks the wire protocol grammY uses (`POST {apiRoot}/bot{token}/{method}`
 * with a JSON or multipart body), answers the common methods with realistic
 * objects, and validates requests the way Telegram does, so that a reply that
 * Telegram would reject fails the test instead of passing silently.
 *
 * Where Telegram's own error text is known (from TDLib / telegram-bot-api) it is
 * reproduced verbatim. A few checks are deliberately STRICTER than Telegram and
 * use descriptions invented here; they are marked "stricter than Telegram".
 *
 * This file is the server and what tests do with it (send as a user, inspect,
 * wait); the state of chats (chats.ts), the update queue (updates.ts), the
 * methods (methods.ts), faults (faults.ts) and the send limit (rate-limit.ts)
 * live beside it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Update } from 'grammy/types';
import { ChatState, makeUser, unixNow } from './chats.js';
import { ApiError, badRequest, TerminatedPoll } from './errors.js';
import { answerWithFault, FaultPlan } from './faults.js';
import { BodyParseError, brief, parseParams, readBody, send, sendError } from './http.js';
import { BotApiMethods, type Handler } from './methods.js';
import { SendLimits } from './rate-limit.js';
import {
  BOT_USER, DEFAULT_TOKEN, type ButtonOptions, type ChatLimit, type FakeBotApiOptions, type InjectedError, type InjectedFailure,
  type MediaOptions, type Params, type RecordedCall, type Rejection, type SenderOptions, type TextOptions, type WaitOptions,
} from './types.js';
import { UpdateQueue } from './updates.js';
import { DEFAULT_USER_ID, detectEntities, hasCallbackButton, senderOf } from './users.js';

type IncomingMsg = NonNullable<Update['message']>;

export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  readonly rejections: Rejection[] = [];
  readonly injectedFailures: InjectedFailure[] = [];
  /** The calls answered 429 because of `chatLimit`, with the retry_after they were given. */
  readonly chatThrottled: (RecordedCall & { retryAfter: number })[] = [];

  private readonly token: string;
  private readonly chats = new ChatState();
  private readonly queue = new UpdateQueue((update) => this.chats.rememberUpdate(update));
  private readonly handlers: Record<string, Handler>;
  private readonly faults = new FaultPlan();
  private readonly sendLimits: SendLimits;
  private readonly callListeners = new Set<() => void>();
  private readonly inFlight = new Set<ServerResponse>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
    options: FakeBotApiOptions,
  ) {
    this.token = options.token ?? DEFAULT_TOKEN;
    this.sendLimits = new SendLimits(options.messagesPerSecond ?? Infinity, options.chatLimit);
    this.handlers = new BotApiMethods(this.chats, this.queue, options.strictHtmlEntities ?? true).handlers();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.add(res);
      res.on('close', () => this.inFlight.delete(res));
      this.handleRequest(req, res).catch((error: unknown) => {
        console.error('[fake-bot-api]', error);
        sendError(res, new ApiError(500, 'Internal Server Error'));
      });
    });
  }

  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new FakeBotApi(server, `http://127.0.0.1:${port}`, options);
  }

  /** Answers pending long polls with `[]` (so the bot can stop), then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.close();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.responsesSent(1000);
    // grammY keeps connections alive; without this close() would wait for them to time out.
    this.server.closeAllConnections();
    await closing;
  }

  private async responsesSent(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // --- assertions and inspection ------------------------------------------

  /** Every update ever pushed, including confirmed ones. */
  get updates(): readonly Update[] {
    return this.queue.all;
  }

  /** Updates Telegram would not have delivered because of the bot's allowed_updates. */
  get droppedUpdates(): readonly Update[] {
    return this.queue.dropped;
  }

  /** Calls answered 429 because of `messagesPerSecond` or `chatLimit`. */
  get throttled(): number {
    return this.sendLimits.throttled;
  }

  /** Telegram's limit of each chat (see FakeBotApiOptions); a test may set or clear it at any time. */
  get chatLimit(): ChatLimit | undefined {
    return this.sendLimits.chatLimit;
  }

  set chatLimit(limit: ChatLimit | undefined) {
    this.sendLimits.chatLimit = limit;
  }

  /** Throws if any call was rejected the way Telegram would reject it. */
  expectNoRejections(): void {
    if (this.rejections.length === 0) return;
    const list = this.rejections.map((r) => `  ${r.method}: ${r.description}\n    params: ${brief(r.params)}`);
    throw new Error(`The fake Bot API rejected ${this.rejections.length} call(s):\n${list.join('\n')}`);
  }

  /** Returns the rejections so far and forgets them (for tests that expect some). */
  takeRejections(): Rejection[] {
    return this.rejections.splice(0);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Current state of the messages the bot sent to a chat, oldest first. */
  sentMessages(chatId: number): Message[] {
    return this.chats.sentMessages(chatId);
  }

  lastSentMessage(chatId: number): Message | undefined {
    return this.sentMessages(chatId).at(-1);
  }

  /** Commands set with setMyCommands for a language ('' = default) and scope (default scope). */
  myCommands(languageCode = '', scope: unknown = { type: 'default' }): unknown[] {
    return this.chats.myCommands(languageCode, scope);
  }

  /** Resolves with the first recorded call matching `predicate`. */
  waitForCall(predicate: (call: RecordedCall) => boolean, options: WaitOptions = {}): Promise<RecordedCall> {
    const { timeoutMs = 3000, since = 0 } = options;
    const find = () => this.calls.slice(since).find(predicate);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No matching call within ${timeoutMs} ms. ${this.describeCalls(since)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.callListeners.delete(check);
      };
      this.callListeners.add(check);
      check();
    });
  }

  private describeCalls(since: number): string {
    const seen = this.calls.slice(since);
    const polls = seen.filter((c) => c.method === 'getUpdates').length;
    const others = seen.filter((c) => c.method !== 'getUpdates').map((c) => `  ${c.method} ${brief(c.params)}`);
    const rejected = this.rejections.map((r) => `  ${r.method}: ${r.description}`);
    return [
      `Calls seen (${polls} getUpdates omitted):`,
      ...(others.length ? others : ['  (none)']),
      ...(rejected.length ? ['Rejected:', ...rejected] : []),
    ].join('\n');
  }

  // --- fault injection ----------------------------------------------------

  /**
   * The next calls of `method` fail with these errors, one per call, in order;
   * with `every` n, each error comes after n - 1 calls that go through (faults spread over a run).
   */
  failNext(method: string, errors: InjectedError[], every = 1): void {
    this.faults.add(method, errors, every);
  }

  // --- updates: what users do ---------------------------------------------

  /** Queues an update for getUpdates and returns it with its update_id. */
  pushUpdate(update: Omit<Update, 'update_id'>): Update {
    return this.queue.push(update);
  }

  /** A text message from a user; `/command` and `@mentions` get their entities. */
  sendText(text: string, options: TextOptions = {}): Update {
    const entities = options.entities ?? detectEntities(text);
    const replyTo = options.replyToBot ? this.replyTarget(options) : undefined;
    return this.pushMessage(options, {
      text,
      ...(entities.length ? { entities } : {}),
      ...(replyTo ? { reply_to_message: replyTo as Message['reply_to_message'] } : {}),
    });
  }

  sendSticker(options: SenderOptions & { emoji?: string } = {}): Update {
    const file = this.chats.createFile('stickers', 'webp');
    const sticker = {
      ...file, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: options.emoji ?? '👍',
    };
    return this.pushMessage(options, { sticker } as Partial<Message>);
  }

  sendPhoto(options: MediaOptions = {}): Update {
    const sizes: [number, number][] = [[90, 67], [320, 240], [1280, 960]];
    const photo = sizes.map(([width, height], index) => {
      const file = this.chats.createFile('photos', 'jpg', index === sizes.length - 1 ? options.data : undefined);
      return { ...file, width, height, file_size: width * height };
    });
    return this.pushMessage(options, { photo, ...this.caption(options) });
  }

  sendVoice(options: MediaOptions & { duration?: number } = {}): Update {
    const file = this.chats.createFile('voice', 'oga', options.data);
    const voice = { ...file, duration: options.duration ?? 3, mime_type: 'audio/ogg', file_size: options.data?.length ?? 4096 };
    return this.pushMessage(options, { voice, ...this.caption(options) });
  }

  sendLocation(latitude: number, longitude: number, options: SenderOptions = {}): Update {
    return this.pushMessage(options, { location: { latitude, longitude } });
  }

  /** The user edits one of their earlier messages (an `edited_message` update). */
  editMessage(message: Message, newText: string, options: Pick<TextOptions, 'entities'> = {}): Update {
    const entities = options.entities ?? detectEntities(newText);
    const { entities: _old, ...rest } = message;
    const edited = { ...rest, text: newText, ...(entities.length ? { entities } : {}), edit_date: unixNow() } as Message;
    this.chats.storeMessage(edited);
    return this.pushUpdate({ edited_message: edited as NonNullable<Update['edited_message']> });
  }

  /** The user presses an inline button on a message the bot sent. */
  pressButton(message: Message, callbackData: string, options: ButtonOptions = {}): Update {
    const current = this.chats.message(message.chat.id, message.message_id) ?? message;
    if (!options.allowMissingButton && !hasCallbackButton(current, callbackData)) {
      throw new Error(`Message ${message.message_id} has no button with callback_data ${JSON.stringify(callbackData)}`);
    }
    const userId = options.userId ?? (current.chat.type === 'private' ? current.chat.id : DEFAULT_USER_ID);
    const id = this.chats.openQuery();
    return this.pushUpdate({
      callback_query: {
        id,
        from: makeUser(userId, options.languageCode),
        message: current,
        chat_instance: String(current.chat.id), // opaque to bots; one per chat is enough
        data: callbackData,
      },
    });
  }

  /**
   * The user presses a button of a message sent through inline mode: Telegram names such a message by an
   * inline_message_id and sends neither the message nor its chat (the fake does not keep them).
   */
  pressInlineButton(inlineMessageId: string, callbackData: string, options: Omit<ButtonOptions, 'allowMissingButton'> = {}): Update {
    return this.pushUpdate({
      callback_query: {
        id: this.chats.openQuery(),
        from: makeUser(options.userId ?? DEFAULT_USER_ID, options.languageCode),
        inline_message_id: inlineMessageId,
        chat_instance: `inline-${inlineMessageId}`,
        data: callbackData,
      },
    });
  }

  inlineQuery(query: string, options: { userId?: number; languageCode?: string; offset?: string } = {}): Update {
    return this.pushUpdate({
      inline_query: {
        id: this.chats.openQuery(),
        from: makeUser(options.userId ?? DEFAULT_USER_ID, options.languageCode),
        query,
        offset: options.offset ?? '',
        chat_type: 'sender',
      },
    });
  }

  private pushMessage(options: SenderOptions, content: Partial<Message>): Update {
    const { chat, from } = senderOf(options);
    const date = options.date ?? unixNow();
    const message = { message_id: this.chats.allocateMessageId(chat.id), from, chat, date, ...content } as IncomingMsg;
    return this.pushUpdate({ message });
  }

  private replyTarget(options: SenderOptions): Message {
    const { chat } = senderOf(options);
    const last = this.lastSentMessage(chat.id);
    if (last) return last;
    return { message_id: this.chats.allocateMessageId(chat.id), from: BOT_USER, chat, date: unixNow(), text: '…' } as Message;
  }

  private caption(options: MediaOptions): Partial<Message> {
    if (options.caption === undefined) return {};
    const entities = detectEntities(options.caption);
    return { caption: options.caption, ...(entities.length ? { caption_entities: entities } : {}) };
  }

  // --- HTTP ---------------------------------------------------------------

  private async handleRequest(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(res, file[1]!, decodeURIComponent(file[2]!));
    const call = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (!call) return send(res, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = call as unknown as [string, string, string];

    let params: Params;
    try {
      params = parseParams(req.headers['content-type'], await readBody(req), url.searchParams);
    } catch (error) {
      if (!(error instanceof BodyParseError)) throw error;
      return this.reject(res, method, undefined, badRequest(`can't parse request body: ${error.message}`));
    }
    if (token !== this.token) return this.reject(res, method, params, new ApiError(401, 'Unauthorized'));

    const injected = this.faults.next(method);
    if (injected) this.injectedFailures.push({ method, params, at: Date.now(), error: injected });
    if (injected && 'delayMs' in injected) await new Promise((resolve) => setTimeout(resolve, injected.delayMs));
    else if (injected && 'drop' in injected && injected.drop === 'before') return void res.socket?.destroy();
    else if (injected && !('drop' in injected)) return answerWithFault(res, injected);

    const refusal = /^(send|copy|forward)/i.test(method) ? this.sendLimits.refusal(params['chat_id']) : null;
    if (refusal) {
      if (refusal.perChat) this.chatThrottled.push({ method, params, at: Date.now(), retryAfter: refusal.retryAfter });
      const description = `Too Many Requests: retry after ${refusal.retryAfter}`;
      return sendError(res, new ApiError(429, description, { retry_after: refusal.retryAfter }));
    }
    const handler = this.handlers[method.toLowerCase()];
    if (!handler) return this.reject(res, method, params, new ApiError(404, 'Not Found: method not found'));
    await this.runHandler(res, method, params, handler, injected === undefined || !('drop' in injected));
  }

  /** Runs the method; with `answer` false the call takes effect but the connection drops instead of the answer. */
  private async runHandler(res: ServerResponse, method: string, params: Params, handler: Handler, answer = true) {
    const aborted = new AbortController();
    res.on('close', () => aborted.abort()); // the client gave up (e.g. grammY's bot.stop() cancelling a long poll)
    try {
      const result = await handler(params, aborted.signal);
      this.record(method, params);
      if (!answer) return void res.socket?.destroy();
      send(res, { ok: true, result });
    } catch (error) {
      if (error instanceof TerminatedPoll) return sendError(res, error);
      if (error instanceof ApiError) return this.reject(res, method, params, error);
      const bug = new ApiError(500, `Internal Server Error: fake-bot-api failed: ${String(error)}`);
      this.reject(res, method, params, bug);
      console.error('[fake-bot-api]', error);
    }
  }

  private record(method: string, params: Params) {
    this.calls.push({ method, params, at: Date.now() });
    for (const listener of [...this.callListeners]) listener();
  }

  private reject(res: ServerResponse, method: string, params: unknown, error: ApiError) {
    this.rejections.push({ method, params, errorCode: error.code, description: error.description, at: Date.now() });
    sendError(res, error);
  }

  private serveFile(res: ServerResponse, token: string, path: string) {
    const file = this.chats.fileAt(path);
    if (token !== this.token || !file?.data) {
      return send(res, { ok: false, error_code: 404, description: 'Not Found' });
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.data.length });
    res.end(file.data);
  }
}
