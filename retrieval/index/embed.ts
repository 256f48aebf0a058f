/**
 * Embedding, step three of the pipeline: text → normalised vectors with a
 * local multilingual model through @xenova/transformers. The same loading
 * code serves the real model (downloaded once from the Hugging Face hub, with
 * a progress bar) and the tiny test model the tests generate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env, pipeline, type FeatureExtractionPipeline } from '@xenova/transformers';
import ort from 'onnxruntime-node';
import type { RetrievalConfig } from '../config.js';
import { errorMessages } from '../errors.js';
import { Progress } from '../progress.js';

export type EmbeddingSettings = Pick<
  RetrievalConfig,
  'EMBEDDING_MODEL' | 'MODELS_DIR' | 'ALLOW_REMOTE_MODELS' | 'EMBEDDING_THREADS' | 'EMBEDDING_BATCH_SIZE'
>;

/** E5 models are trained with these prefixes; other models get none. */
function prefixesFor(model: string): { query: string; passage: string } {
  return /e5/i.test(model) ? { query: 'query: ', passage: 'passage: ' } : { query: '', passage: '' };
}

let threadLimit = 1;
let sessionPatched = false;

/**
 * transformers.js 2.x creates ONNX Runtime sessions without options, so
 * ORT would use every core and starve the bot's event loop; bound it here.
 */
function boundOnnxThreads(threads: number): void {
  threadLimit = threads;
  if (sessionPatched) return;
  sessionPatched = true;
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (...args: unknown[]) => Promise<ort.InferenceSession>;
  (ort.InferenceSession as { create: unknown }).create = (buffer: unknown, options: ort.InferenceSession.SessionOptions = {}) =>
    create(buffer, { ...options, intraOpNumThreads: threadLimit, interOpNumThreads: 1 });
}

interface ModelLocation {
  id: string;
  local: boolean;
}

/** A local directory is loaded from disk; anything else is a hub id (cached in MODELS_DIR). */
function locate(settings: EmbeddingSettings): ModelLocation {
  const candidate = path.resolve(settings.EMBEDDING_MODEL);
  const local = fs.existsSync(path.join(candidate, 'config.json'));
  env.cacheDir = path.resolve(settings.MODELS_DIR);
  env.localModelPath = local ? path.dirname(candidate) : path.resolve(settings.MODELS_DIR);
  env.allowLocalModels = true;
  env.allowRemoteModels = local ? false : settings.ALLOW_REMOTE_MODELS;
  return { id: local ? path.basename(candidate) : settings.EMBEDDING_MODEL, local };
}

interface DownloadEvent {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/** Shows one progress bar per model file fetched from the hub (or read from its cache). */
function downloadProgress(): (event: DownloadEvent) => void {
  const bars = new Map<string, Progress>();
  return (event) => {
    if (!event.file) return;
    if (event.status === 'progress' && event.total) {
      let bar = bars.get(event.file);
      if (!bar) {
        bar = new Progress(`model file ${event.file}`, event.total, 'bytes');
        bars.set(event.file, bar);
      }
      bar.update(event.loaded ?? 0);
    } else if (event.status === 'done') {
      bars.get(event.file)?.finish();
    }
  };
}

export interface Embedder {
  readonly model: string;
  readonly dimension: number;
  embedQueries(texts: string[]): Promise<number[][]>;
  /** Long passages are embedded in overlapping windows whose vectors are averaged. */
  embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<number[][]>;
}

export type EmbedderResult = { ok: true; embedder: Embedder } | { ok: false; message: string };

const SENTENCE_END = /(?<=[。!?;!?;])/;

function l2normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

function average(vectors: number[][]): number[] {
  const sum = new Array<number>(vectors[0]!.length).fill(0);
  for (const vector of vectors) vector.forEach((x, i) => (sum[i]! += x));
  return l2normalise(sum);
}

class TransformersEmbedder implements Embedder {
  readonly dimension: number;
  private readonly prefixes: { query: string; passage: string };

  constructor(
    readonly model: string,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly maxTokens: number,
    private readonly batchSize: number,
    dimension: number,
  ) {
    this.dimension = dimension;
    this.prefixes = prefixesFor(model);
  }

  private async run(texts: string[]): Promise<number[][]> {
    const output = await this.extractor(texts, { pooling: 'mean', normalize: true });
    return output.tolist() as number[][];
  }

  private tokenCount(text: string): number {
    return this.extractor.tokenizer.encode(text).length;
  }

  /**
   * Splits a passage into windows that fit the model: whole sentences packed
   * greedily, each window starting with the previous window's last sentence
   * (the overlap); a sentence too long by itself is cut by characters.
   */
  windows(text: string): string[] {
    const budget = this.maxTokens - this.tokenCount(this.prefixes.passage);
    if (this.tokenCount(text) <= budget) return [text];
    const pieces = text.split(SENTENCE_END).flatMap((sentence) => this.cutToBudget(sentence, budget));
    const windows: string[] = [];
    let current: string[] = [];
    for (const piece of pieces) {
      if (current.length > 0 && this.tokenCount(current.join('') + piece) > budget) {
        windows.push(current.join(''));
        const overlap = current.at(-1)!;
        current = this.tokenCount(overlap + piece) <= budget ? [overlap] : [];
      }
      current.push(piece);
    }
    if (current.length > 0) windows.push(current.join(''));
    return windows;
  }

  private cutToBudget(sentence: string, budget: number): string[] {
    if (this.tokenCount(sentence) <= budget) return [sentence];
    const chars = [...sentence];
    // Halve until it fits: token counts are not proportional to characters in mixed text.
    const half = Math.ceil(chars.length / 2);
    return [...this.cutToBudget(chars.slice(0, half).join(''), budget), ...this.cutToBudget(chars.slice(half).join(''), budget)];
  }

  async embedQueries(texts: string[]): Promise<number[][]> {
    // A question longer than the model's input is cut: it is one query, not a passage to cover.
    return this.run(texts.map((text) => this.prefixes.query + text));
  }

  async embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<number[][]> {
    const windowed = texts.map((text) => this.windows(text));
    const flat = windowed.flat().map((window) => this.prefixes.passage + window);
    const vectors: number[][] = [];
    for (let start = 0; start < flat.length; start += this.batchSize) {
      vectors.push(...(await this.run(flat.slice(start, start + this.batchSize))));
      onProgress?.(Math.min(start + this.batchSize, flat.length));
    }
    let next = 0;
    return windowed.map((windows) => {
      const own = vectors.slice(next, next + windows.length);
      next += windows.length;
      return own.length === 1 ? own[0]! : average(own);
    });
  }

  /** How many windows the passages will be embedded as (for a progress bar). */
  windowCount(texts: string[]): number {
    return texts.reduce((sum, text) => sum + this.windows(text).length, 0);
  }
}

function describeLoadError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(message)) return 'no network connection to download it';
  if (/local_files_only|not found locally|allowRemoteModels/i.test(message)) {
    return 'it is not downloaded yet and downloads are switched off';
  }
  if (/Could not locate file|404|Unauthorized|401/i.test(message)) return 'no such model on the Hugging Face hub';
  if (/protobuf|onnx|invalid|corrupt|JSON/i.test(message)) return `its files are damaged: ${message.split('\n')[0]}`;
  return message.split('\n')[0]!;
}

const loaded = new Map<string, Promise<EmbedderResult>>();

/** Loads the embedding model once per process (per model id); never throws. */
export function loadEmbedder(settings: EmbeddingSettings): Promise<EmbedderResult> {
  const key = `${settings.EMBEDDING_MODEL}\0${settings.MODELS_DIR}\0${settings.ALLOW_REMOTE_MODELS}`;
  let result = loaded.get(key);
  if (!result) {
    result = load(settings);
    loaded.set(key, result);
  }
  return result;
}

async function load(settings: EmbeddingSettings): Promise<EmbedderResult> {
  boundOnnxThreads(settings.EMBEDDING_THREADS);
  const location = locate(settings);
  try {
    // A local directory is read from disk at once; only hub models get progress bars.
    const options = { quantized: true, progress_callback: location.local ? undefined : downloadProgress() };
    const extractor = (await pipeline('feature-extraction', location.id, options)) as FeatureExtractionPipeline;
    const tokenizer = extractor.tokenizer ?? (await AutoTokenizer.from_pretrained(location.id, options));
    const maxTokens = Math.min(Number(tokenizer.model_max_length) || 512, 512);
    const probe = (await extractor(['probe'], { pooling: 'mean', normalize: true })).tolist() as number[][];
    const embedder = new TransformersEmbedder(
      settings.EMBEDDING_MODEL, extractor, maxTokens, settings.EMBEDDING_BATCH_SIZE, probe[0]!.length,
    );
    return { ok: true, embedder };
  } catch (error) {
    return { ok: false, message: errorMessages.MODEL_UNAVAILABLE(settings.EMBEDDING_MODEL, describeLoadError(error)) };
  }
}
