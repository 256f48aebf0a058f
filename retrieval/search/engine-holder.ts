/**
 * Holds the search engine of the store's current generation and swaps it,
 * without a restart, when a rebuild publishes a new one (here or, with a
 * shared database, from another machine). The store says so when it can
 * (PostgreSQL LISTEN/NOTIFY) and the holder polls besides. A query keeps the
 * engine it started with (`use`); a replaced engine is closed once the grace
 * period is over and no query uses it any more.
 *
 * An engine without vectors (the model could not be loaded, or the index was
 * built without one) is not the end state: every MODEL_RETRY_MS the holder
 * tries the model again in the background and, once it loads, rebuilds the
 * index (unchanged paragraphs come from the embedding cache) and swaps, while
 * full-text search keeps answering.
 */
import type { RetrievalConfig } from '../config.js';
import { buildIndexOffThread } from './build-off-thread.js';
import { loadEmbedder } from '../index/embed.js';
import { openStore } from '../index/store/open-store.js';
import { GenerationGoneError, type IndexStore } from '../index/store/store.js';
import { SearchEngine } from './search.js';

export interface EngineHolderOptions {
  /** How often to ask the store for its current generation (polling works on every file system and database, and is the fallback when a notification is missed). */
  pollMs?: number;
  /** How long a replaced engine stays open for queries that already hold it. */
  graceMs?: number;
  log?: (line: string) => void;
  /** Try the model at once when the index has no vectors (tests turn this off to decide when it happens). */
  recoverAtOnce?: boolean;
  /** Listen for the store's publish notifications (tests turn this off to play a replica that has not noticed a build yet). */
  watch?: boolean;
}

export class EngineHolder {
  private engine: SearchEngine;
  private readonly users = new Map<SearchEngine, number>();
  /** Replaced engines not closed yet, with the timer of their grace period (null once it is over). */
  private readonly replaced = new Map<SearchEngine, NodeJS.Timeout | null>();
  private readonly poller: NodeJS.Timeout;
  private readonly modelRetry: NodeJS.Timeout;
  private refreshing: Promise<void> | null = null;
  private recovering = false;
  /** The advice of the last failed model load logged: said once, then each retry gives only its reason. */
  private modelAdvice: string | null = null;
  private closed = false;

  private constructor(
    private readonly config: RetrievalConfig,
    private readonly store: IndexStore,
    engine: SearchEngine,
    private readonly graceMs: number,
    private readonly log: (line: string) => void,
    pollMs: number,
  ) {
    this.engine = engine;
    this.poller = setInterval(() => void this.refresh(), pollMs);
    this.poller.unref();
    this.modelRetry = setInterval(() => void this.recoverVectors(), config.MODEL_RETRY_MS);
    this.modelRetry.unref();
  }

  static async open(config: RetrievalConfig, options: EngineHolderOptions = {}): Promise<EngineHolder> {
    const store = openStore(config);
    try {
      const engine = await SearchEngine.openIn(store, config);
      const holder = new EngineHolder(config, store, engine, options.graceMs ?? 30_000, options.log ?? (() => {}), options.pollMs ?? 2_000);
      if (options.watch ?? true) await store.watch(() => void holder.refresh());
      if (options.recoverAtOnce ?? true) void holder.recoverVectors();
      return holder;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * Without vectors: loads the model (a failed load is not remembered, so this
   * really tries again), and if it loads, rebuilds the index and swaps to it;
   * with a shared database, reopens the generation in use instead.
   */
  async recoverVectors(): Promise<void> {
    if (this.engine.hasVectors || this.recovering || this.closed) return;
    this.recovering = true;
    try {
      const loaded = await loadEmbedder(this.config);
      if (!loaded.ok) {
        const retry = `trying again in ${Math.round(this.config.MODEL_RETRY_MS / 1000)} s`;
        this.log(loaded.advice === this.modelAdvice
          ? `model: still full-text only (${loaded.reason}); ${retry}`
          : `model: still full-text only, ${retry}: ${loaded.message}`);
        this.modelAdvice = loaded.advice;
        return;
      }
      if (this.store.shared) {
        // A replica never rebuilds the shared index: it uses the vectors of the generation in use, if it has them.
        await this.refresh({ reopen: true });
        if (!this.engine.hasVectors) this.log(`model: loaded, but the shared index has no vectors of it: run \`npm run build-index\` with the model`);
        return;
      }
      this.log(`model: ${loaded.embedder.model} is available now; building the vector index in the background`);
      await buildIndexOffThread(this.config, this.log);
      await this.refresh();
    } catch (error) {
      this.log(`model: the background build failed, keeping generation ${this.engine.generation}: ${(error as Error).message}`);
    } finally {
      this.recovering = false;
    }
  }

  /** The engine in use now, for quick synchronous reads (counts, speaker lists). */
  get current(): SearchEngine {
    return this.engine;
  }

  /**
   * Runs `work` with the current engine, which stays open until `work` is done even if a swap happens meanwhile.
   * If a newer build pruned that engine's generation under it (a shared database, two builds before this process
   * switched), switches to the current generation and runs `work` once more: `work` only reads.
   */
  async use<T>(work: (engine: SearchEngine) => Promise<T> | T): Promise<T> {
    const engine = this.engine;
    try {
      return await this.useEngine(engine, work);
    } catch (error) {
      if (!(error instanceof GenerationGoneError)) throw error;
      await this.refresh();
      if (this.engine === engine) throw error;
      this.log(`index: generation ${error.generation} was pruned under a question; asked again on generation ${this.engine.generation}`);
      return this.useEngine(this.engine, work);
    }
  }

  private async useEngine<T>(engine: SearchEngine, work: (engine: SearchEngine) => Promise<T> | T): Promise<T> {
    this.users.set(engine, (this.users.get(engine) ?? 0) + 1);
    try {
      return await work(engine);
    } finally {
      const left = (this.users.get(engine) ?? 1) - 1;
      if (left > 0) this.users.set(engine, left);
      else this.users.delete(engine);
      if (left <= 0 && this.replaced.get(engine) === null) this.closeEngine(engine);
    }
  }

  /**
   * Opens the new generation if one was published (or, with `reopen`, the one in use again, to take up a model that
   * loads now). A broken one is logged and the old one kept. A call while a refresh runs waits for that one.
   */
  refresh({ reopen = false } = {}): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.refreshing ??= this.switchGeneration(reopen).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async switchGeneration(reopen: boolean): Promise<void> {
    try {
      const generation = await this.store.currentGeneration();
      if (generation === this.engine.generation && !reopen) return;
      const next = await SearchEngine.openIn(this.store, this.config, generation);
      if (this.closed) {
        await next.close();
        return;
      }
      const previous = this.engine;
      this.engine = next;
      this.log(`index: switched to generation ${next.generation} (built ${next.manifest.builtAt})`);
      this.retire(previous);
    } catch (error) {
      this.log(`index: keeping generation ${this.engine.generation}: ${(error as Error).message}`);
    }
  }

  private retire(engine: SearchEngine): void {
    const timer = setTimeout(() => {
      this.replaced.set(engine, null);
      if (!this.users.has(engine)) this.closeEngine(engine);
    }, this.graceMs);
    timer.unref();
    this.replaced.set(engine, timer);
  }

  private closeEngine(engine: SearchEngine): void {
    this.replaced.delete(engine);
    engine.close().catch((error: unknown) => this.log(`index: closing generation ${engine.generation} failed: ${(error as Error).message}`));
  }

  /** Stops watching and closes every engine and the store; call it after the queries in flight are done. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poller);
    clearInterval(this.modelRetry);
    const engines = [...this.replaced.keys(), this.engine];
    for (const timer of this.replaced.values()) if (timer) clearTimeout(timer);
    this.replaced.clear();
    await Promise.all(engines.map((engine) => engine.close()));
    await this.store.close();
  }
}
