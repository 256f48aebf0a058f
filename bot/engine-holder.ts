/**
 * Holds the search engine of the current index build and swaps it, without a
 * restart, when a rebuild points `INDEX_DIR/current` at a new build. A query
 * keeps the engine it started with (`use`); a replaced engine is closed once
 * the grace period is over and no query uses it any more.
 */
import type { RetrievalConfig } from '../retrieval/config.js';
import { currentBuild } from '../retrieval/index/index-folder.js';
import { SearchEngine } from '../retrieval/search/search.js';

export interface EngineHolderOptions {
  /** How often to read the `current` link. Polling works on every file system, unlike fs.watch on a symlink. */
  pollMs?: number;
  /** How long a replaced engine stays open for queries that already hold it. */
  graceMs?: number;
  log?: (line: string) => void;
}

export class EngineHolder {
  private engine: SearchEngine;
  private readonly users = new Map<SearchEngine, number>();
  /** Replaced engines not closed yet, with the timer of their grace period (null once it is over). */
  private readonly replaced = new Map<SearchEngine, NodeJS.Timeout | null>();
  private readonly poller: NodeJS.Timeout;
  private swapping = false;

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
  }

  static async open(config: RetrievalConfig, options: EngineHolderOptions = {}): Promise<EngineHolder> {
    const engine = await SearchEngine.open(config);
    return new EngineHolder(config, engine, options.graceMs ?? 30_000, options.log ?? (() => {}), options.pollMs ?? 2_000);
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
    if (this.swapping) return;
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
    clearInterval(this.poller);
    for (const [engine, timer] of this.replaced) {
      if (timer) clearTimeout(timer);
      engine.close();
    }
    this.replaced.clear();
    this.engine.close();
  }
}
