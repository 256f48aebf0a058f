/**
 * Runs the bot until SIGINT/SIGTERM: long polling with @grammyjs/runner, or a
 * webhook server when WEBHOOK_URL is set.
 *
 * Start-up does two things at once: the index is opened (built first if need
 * be, off the main thread) and Telegram is told how updates arrive
 * (telegram/connect.ts, which keeps trying while Telegram cannot be reached).
 * The webhook server listens from the start, so /healthz says what start-up
 * waits for. A signal stops the process in any phase; what cannot work (a
 * port in use, a token or API root Telegram refuses) ends it with one line and
 * exit code 1.
 *
 * Every update is stored in the inbox (bot/inbox/) before Telegram is told it
 * arrived, and answered from there: in polling before the next getUpdates
 * confirms it (polling.ts), in webhook mode before the 200.
 *
 * Shutdown stops taking updates, lets the ones in flight finish (at most
 * DRAIN_MS; what is left stays in the inbox for the next start), then closes
 * the index, and only then says "stopped".
 */
import type http from 'node:http';
import type { UserFromGetMe } from 'grammy/types';
import { BuildStoppedError, type EngineHolder } from '../../retrieval/api.js';
import { openFeedback } from '../feedback/open-feedback.js';
import type { Inbox } from '../inbox/inbox.js';
import { InboxWorker } from '../inbox/inbox-worker.js';
import { openInbox } from '../inbox/open-inbox.js';
import { InboxInUse } from '../inbox/sqlite-inbox.js';
import { apologiseUnhandled, createBot, describeError, handleUpdate, type BotParts } from './bot.js';
import type { BotConfig } from './config.js';
import type { Logger } from './log.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { ConnectStopped, connectTelegram, refusalOf, TelegramRefusal } from './connect.js';
import { pollIntoInbox } from './polling.js';
import { closeServer, PortInUse, startWebhookServer, type Health } from './webhook-server.js';

/** How long shutdown waits for updates in flight. Under the 10 s a container manager usually allows before it kills. */
const DRAIN_MS = 8_000;

type TokenConfig = BotConfig & { token: string };

/** Opens the index, building it first if need be; `signal` stops a build. */
export type OpenIndex = (signal: AbortSignal) => Promise<EngineHolder>;

/** What start-up is waiting for, for /healthz and the log. */
class StartState {
  phase: 'starting' | 'serving' | 'stopping' = 'starting';
  index = 'loading';
  telegram = 'connecting';

  health(): Health {
    return { serving: this.phase === 'serving', body: { status: this.phase, index: this.index, telegram: this.telegram } };
  }
}

/** Aborts on the first SIGINT or SIGTERM; a second one ends the process at once. */
function stopOnSignals(logger: Logger): AbortController {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      logger.warn(`${signal} again: exiting at once`);
      process.exit(1);
    }
    logger.info(`${signal}: stopping…`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return stop;
}

/** Rejects with ConnectStopped as soon as `signal` aborts, whatever `work` is still doing. */
function unlessStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const stopped = () => reject(new ConnectStopped());
    if (signal.aborted) return stopped();
    signal.addEventListener('abort', stopped, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stopped));
  });
}

/** Runs until a signal (exit code 0) or something Telegram or the machine will not allow (exit code 1). */
export async function runBot(config: TokenConfig, openIndex: OpenIndex, logger: Logger): Promise<number> {
  const stop = stopOnSignals(logger);
  const state = new StartState();
  const { delivery } = config;
  let parts: BotParts | undefined;
  let worker: InboxWorker | undefined;
  let inbox: Inbox | undefined;
  let server: http.Server | undefined;
  // Start-up's own abort: a signal, or one half failing (the other need not go on).
  const startup = new AbortController();
  stop.signal.addEventListener('abort', () => startup.abort(), { once: true });

  let holder: EngineHolder;
  let me: UserFromGetMe;
  try {
    // First, so that a second bot on the same INDEX_DIR stops before it talks to Telegram.
    inbox = await openInbox(config.retrieval, config.inboxLeaseMs, logger);
    if (delivery.mode === 'webhook') {
      server = await startWebhookServer(delivery.port, {
        secret: delivery.secret,
        health: () => state.health(),
        metrics: () => parts?.metrics.registry,
        // Stored, then acknowledged at once: the worker answers it, and Telegram need not hold it any longer.
        receive: async (update) => {
          if (!worker) return false;
          worker.take(await inbox!.add([update]));
          return true;
        },
      }, logger);
    }
    const index = openIndex(startup.signal).then((opened) => {
      state.index = opened.current.manifest.builtAt;
      return opened;
    });
    const telegram = connectTelegram({
      token: config.token,
      apiRoot: config.apiRoot,
      delivery,
      signal: startup.signal,
      onWait: (reason, attempt, waitMs) => {
        state.telegram = `unreachable (${reason}); attempt ${attempt} failed, next at ${new Date(Date.now() + waitMs).toISOString()}`;
        logger.warn({ reason, attempt, retryInMs: waitMs }, `Telegram at ${config.apiRoot} cannot be reached; trying again`);
      },
    }).then((info) => {
      state.telegram = 'connected';
      return info;
    });
    [holder, me] = await unlessStopped(Promise.all([index, telegram]), stop.signal).catch(async (error: unknown) => {
      startup.abort();
      await index.then((opened) => opened.close(), () => {});
      throw error;
    });
  } catch (error) {
    if (server) await closeServer(server);
    await inbox?.close();
    if (error instanceof ConnectStopped || error instanceof BuildStoppedError) {
      logger.info('stopped');
      return 0;
    }
    if (error instanceof TelegramRefusal || error instanceof PortInUse || error instanceof InboxInUse) {
      logger.fatal(error.message);
      return 1;
    }
    throw error;
  }

  const feedback = await openFeedback(config.retrieval, config.feedbackSalt);
  parts = createBot(config, holder, logger, { admission: config.admission, retry: DEFAULT_RETRY_POLICY, botInfo: me, feedback });
  const bot = parts.bot;
  const inboxWorker = new InboxWorker(inbox, {
    handle: (update) => handleUpdate(bot, update),
    setAside: (update) => apologiseUnhandled(bot, update, logger, config.token),
  }, logger);
  // What an earlier process stored and did not finish goes first, before any new update is taken.
  await inboxWorker.start();
  worker = inboxWorker;
  let stopReceiving: () => Promise<void>;
  let fatal: Promise<string> = new Promise(() => {});
  if (delivery.mode === 'webhook') {
    const webhook = server!;
    stopReceiving = () => closeServer(webhook);
    logger.info({ port: delivery.port }, `@${me.username} is listening for webhook updates`);
  } else {
    const polling = new AbortController();
    const task = pollIntoInbox(bot, inbox, (entries) => inboxWorker.take(entries), logger, polling.signal);
    fatal = task.then(
      () => new Promise<string>(() => {}), // stopped on purpose: no verdict
      (error: unknown) => refusalOf(error, config.apiRoot) ?? `polling failed: ${describeError(error, config.token)}`,
    );
    stopReceiving = async () => {
      polling.abort();
      await task.catch(() => {});
    };
    logger.info(`@${me.username} is polling for updates`);
  }
  state.phase = 'serving';

  const verdict = await Promise.race([new Promise<null>((resolve) => stop.signal.addEventListener('abort', () => resolve(null))), fatal]);
  if (verdict) logger.fatal(verdict);
  state.phase = 'stopping';
  try {
    await stopReceiving();
  } catch (error) {
    logger.warn({ error: describeError(error, config.token) }, 'while stopping');
  }
  if (!(await inboxWorker.stop(DRAIN_MS))) {
    logger.warn({ unfinished: inboxWorker.size }, `updates still unfinished after ${DRAIN_MS / 1000} s; left in the inbox for the next start`);
  }
  await holder.close();
  await feedback.store.close();
  await inbox.close();
  logger.info('stopped');
  return verdict ? 1 : 0;
}
