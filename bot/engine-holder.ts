/**
 * Holds the search engine of the current index build and swaps it, without a
 * restart, when a rebuild points `INDEX_DIR/current` at a new build. A query
 * keeps the engine it started with (`use`); a replaced engine is closed once
 * the grace period is over and no query uses it any more.
 *
 * An engine without vectors (the model could not be loaded, or the index was
 * built without one) is not the end state: every MODEL_RETRY_MS the holder
 * tries the model again in the background and, once it loads, rebuilds the
 * index (unchanged paragraphs come from the embedding cache) and swaps, while
 * full-text search keeps answering.
 */
import type { RetrievalConfig } from '../retrieval/config.js';
import { buildIndex } from '../retrieval/index/build.js';
import { loadEmbedder } from '../retrieval/index/embed.js';
import { currentBuild } from '../retrieval/index/index-folder.js';
import { SearchEngine } from '../retrieval/search/search.js';

export interface EngineHolderOptions {
  /** How often to read the `current` link. Polling works on every file system, unlike fs.watch on a symlink. */
  pollMs?: number;
  /** How long a replaced engine stays open for queries that already hold it. */
  graceMs?: number;
  log?: (line: string) => void;
  /** Try the model at once when the index has no vectors (tests turn this off to decide when it happens). */
  recoverAtOnce?: boolean;
}

export class EngineHolder {
  private engine: SearchEngine;
  private readonly users = new Map<SearchEngine, number>();
  /** Replaced engines not closed yet, with the timer of their grace period (null once it is over). */
  private readonly replaced = new Map<SearchEngine, NodeJS.Timeout | null>();
  private readonly poller: NodeJS.Timeout;
  private readonly modelRetry: NodeJS.Timeout;
  private swapping = false;
  private recovering = false;
  private closed = false;

  private constructor(
    private readonly config: RetrievalConfig,
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
    const engine = await SearchEngine.open(config);
    const holder = new EngineHolder(config, engine, options.graceMs ?? 30_000, options.log ?? (() => {}), options.pollMs ?? 2_000);
    if (options.recoverAtOnce ?? true) void holder.recoverVectors();
    return holder;
  }

  /**
   * Without vectors: loads the model (a failed load is not remembered, so this
   * really tries again), and if it loads, rebuilds the index and swaps to it.
   */
  async recoverVectors(): Promise<void> {
    if (this.engine.hasVectors || this.recovering || this.closed) return;
    this.recovering = true;
    try {
      const loaded = await loadEmbedder(this.config);
      if (!loaded.ok) {
        this.log(`model: still full-text only, trying again in ${Math.round(this.config.MODEL_RETRY_MS / 1000)} s: ${loaded.message}`);
        return;
      }
      this.log(`model: ${loaded.embedder.model} is available now; building the vector index in the background`);
      await buildIndex(this.config, this.log);
      await this.refresh();
    } catch (error) {
      this.log(`model: the background build failed, keeping ${this.engine.buildFolder}: ${(error as Error).message}`);
    } finally {
      this.recovering = false;
    }
  }

  /** The engine in use now, for quick synchronous reads (counts, speaker lists). */
  get current(): SearchEngine {
    return this.engine;
  }

  /** Runs `work` with the current engine, which stays open until `work` is done even if a swap happens meanwhile. */
  async use<T>(work: (engine: SearchEngine) => Promise<T> | T): Promise<T> {
    const engine = this.engine;
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

  /** Opens the new build if `current` moved. A half-written or broken build is logged and the old one kept. */
  async refresh(): Promise<void> {
    if (this.swapping || this.closed) return;
    this.swapping = true;
    try {
      if (currentBuild(this.config.INDEX_DIR) === this.engine.buildFolder) return;
      const next = await SearchEngine.open(this.config);
      const previous = this.engine;
      this.engine = next;
      this.log(`index: switched to ${next.buildFolder} (built ${next.manifest.builtAt})`);
      this.retire(previous);
    } catch (error) {
      this.log(`index: keeping ${this.engine.buildFolder}: ${(error as Error).message}`);
    } finally {
      this.swapping = false;
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
    engine.close();
  }

  /** Stops watching and closes every engine; call it after the queries in flight are done. */
  close(): void {
    this.closed = true;
    clearInterval(this.poller);
    clearInterval(this.modelRetry);
    for (const [engine, timer] of this.replaced) {
      if (timer) clearTimeout(timer);
      engine.close();
    }
    this.replaced.clear();
    this.engine.close();
  }
}
