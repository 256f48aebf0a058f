/**
 * Embedding, step three of the pipeline: text → normalised vectors with a
 * local multilingual model through @xenova/transformers. The same loading
 * code serves the real model (downloaded once from the Hugging Face hub, with
 * a progress bar) and the tiny test model the tests generate.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AutoTokenizer, env, pipeline, type FeatureExtractionPipeline } from '@xenova/transformers';
import ort from 'onnxruntime-node';
import type { RetrievalConfig } from '../config.js';
import { errorMessages } from '../errors.js';
import { Progress } from '../progress.js';
import { splitSentences } from '../text.js';
import { profileFor, type ModelProfile } from './model-profile.js';

export type EmbeddingSettings = Pick<
  RetrievalConfig,
  | 'EMBEDDING_MODEL' | 'MODELS_DIR' | 'ALLOW_REMOTE_MODELS' | 'EMBEDDING_THREADS' | 'EMBEDDING_BATCH_SIZE'
  | 'EMBEDDING_PROFILE' | 'MODEL_DOWNLOAD_TIMEOUT_MS' | 'HF_ENDPOINT'
>;

/** The hub revision loaded; transformers.js 2.x fetches `main` unless told otherwise. */
const REVISION = 'main';
/** The files that decide what a vector is: a change to any of them invalidates stored vectors. */
const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

/** Which model produced a vector, down to its files' bytes; recorded in the manifest and keying the embedding cache. */
export interface ModelFingerprint {
  model: string;
  revision: string;
  /** sha256 of each model file, by path inside the model folder. */
  files: Record<string, string>;
}

function fingerprint(model: string, folder: string): ModelFingerprint {
  const files: Record<string, string> = {};
  for (const file of MODEL_FILES) {
    const full = path.join(folder, file);
    if (fs.existsSync(full)) files[file] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return { model, revision: REVISION, files };
}

/** Whether vectors made with one set of model files are valid for another. */
export function sameModelFiles(a: Omit<ModelFingerprint, 'model'>, b: Omit<ModelFingerprint, 'model'>): boolean {
  return a.revision === b.revision && JSON.stringify(Object.entries(a.files).sort()) === JSON.stringify(Object.entries(b.files).sort());
}

/** A short key for the embedding cache: the model id plus a digest of its files. */
export function cacheKeyOf(fingerprint: ModelFingerprint): string {
  const digest = createHash('sha256').update(JSON.stringify([fingerprint.revision, fingerprint.files])).digest('hex');
  return `${fingerprint.model}@${digest.slice(0, 16)}`;
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
  /** Where the model's files are (or will be, once downloaded). */
  folder: string;
}

/** A local directory is loaded from disk; anything else is a hub id (cached in MODELS_DIR). */
function locate(settings: EmbeddingSettings): ModelLocation {
  const candidate = path.resolve(settings.EMBEDDING_MODEL);
  const local = fs.existsSync(path.join(candidate, 'config.json'));
  env.cacheDir = path.resolve(settings.MODELS_DIR);
  env.localModelPath = local ? path.dirname(candidate) : path.resolve(settings.MODELS_DIR);
  env.allowLocalModels = true;
  env.allowRemoteModels = local ? false : settings.ALLOW_REMOTE_MODELS;
  env.remoteHost = settings.HF_ENDPOINT.endsWith('/') ? settings.HF_ENDPOINT : `${settings.HF_ENDPOINT}/`;
  const id = local ? path.basename(candidate) : settings.EMBEDDING_MODEL;
  return { id, local, folder: local ? candidate : path.join(env.cacheDir, id) };
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
  readonly profile: ModelProfile;
  readonly fingerprint: ModelFingerprint;
  /** Key of this model's entries in the embedding cache (changes when the model files change). */
  readonly cacheKey: string;
  embedQueries(texts: string[]): Promise<number[][]>;
  /** Long passages are embedded in overlapping windows whose vectors are averaged. */
  embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<number[][]>;
}

/** A model that did not load says why (`reason`), what to do (`advice`), and both as one notice (`message`). */
export type EmbedderResult = { ok: true; embedder: Embedder } | { ok: false; reason: string; advice: string; message: string };

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
  readonly model: string;
  readonly cacheKey: string;

  constructor(
    readonly fingerprint: ModelFingerprint,
    readonly profile: ModelProfile,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly batchSize: number,
    readonly dimension: number,
  ) {
    this.model = fingerprint.model;
    this.cacheKey = cacheKeyOf(fingerprint);
  }

  private async run(texts: string[]): Promise<number[][]> {
    const output = await this.extractor(texts, { pooling: this.profile.pooling, normalize: true });
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
    const budget = this.profile.maxTokens - this.tokenCount(this.profile.passagePrefix);
    if (this.tokenCount(text) <= budget) return [text];
    const pieces = splitSentences(text).flatMap((sentence) => this.cutToBudget(sentence, budget));
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
    return this.run(texts.map((text) => this.profile.queryPrefix + text));
  }

  async embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<number[][]> {
    const windowed = texts.map((text) => this.windows(text));
    const flat = windowed.flat().map((window) => this.profile.passagePrefix + window);
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

/** Why a model did not load, and what the person can do about it, given where it was looked for. */
function describeLoadError(error: unknown, settings: EmbeddingSettings, location: ModelLocation): { reason: string; advice: string } {
  const message = error instanceof Error ? error.message : String(error);
  const airGapped = 'README.md, "Air-gapped install"';
  if (/timed out after/.test(message)) {
    return {
      reason: message.split('\n')[0]!,
      advice: 'The download goes on in the background and the next attempt finishes it; on a slow connection raise ' +
        'MODEL_DOWNLOAD_TIMEOUT_MS, or fetch the model first with `npm run fetch-model`.',
    };
  }
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network/i.test(message)) {
    return {
      reason: `the hub at ${settings.HF_ENDPOINT} cannot be reached`,
      advice: 'Where the hub is blocked, set HF_ENDPOINT to a mirror (e.g. https://hf-mirror.com). On a machine without ' +
        `network, run \`npm run fetch-model\` on one that has it and copy its MODELS_DIR folder to ${settings.MODELS_DIR} here ` +
        `(${airGapped}), or set EMBEDDING_MODEL to a local model directory.`,
    };
  }
  if (/local_files_only|not found locally|allowRemoteModels/i.test(message)) {
    return {
      reason: `it is not in ${location.folder} and ALLOW_REMOTE_MODELS=false forbids downloading it`,
      advice: `Copy a downloaded model there (\`npm run fetch-model\` on a machine with network; ${airGapped}), or set ALLOW_REMOTE_MODELS=true.`,
    };
  }
  if (/Could not locate file|404|Unauthorized|401/i.test(message)) {
    return {
      reason: 'no such model on the Hugging Face hub',
      advice: `Check EMBEDDING_MODEL: a model id on ${settings.HF_ENDPOINT} (such as Xenova/multilingual-e5-small), or a local model directory.`,
    };
  }
  if (/protobuf|onnx|invalid|corrupt|JSON/i.test(message)) {
    return { reason: `its files are damaged: ${message.split('\n')[0]}`, advice: `Delete ${location.folder} and run \`npm run fetch-model\` to download it again.` };
  }
  return { reason: message.split('\n')[0]!, advice: 'Check EMBEDDING_MODEL, MODELS_DIR and HF_ENDPOINT (README.md, "The embedding model").' };
}

const loaded = new Map<string, Promise<EmbedderResult>>();

/**
 * Loads the embedding model once per process (per model id and setting); never
 * throws. Only a success is kept: a failed load is tried again on the next call
 * (the next build, the next background attempt), since the network may be back.
 */
export function loadEmbedder(settings: EmbeddingSettings): Promise<EmbedderResult> {
  const key = JSON.stringify([
    settings.EMBEDDING_MODEL, settings.MODELS_DIR, settings.ALLOW_REMOTE_MODELS, settings.EMBEDDING_PROFILE, settings.HF_ENDPOINT,
  ]);
  let result = loaded.get(key);
  if (!result) {
    result = load(settings);
    loaded.set(key, result);
    void result.then((outcome) => {
      if (!outcome.ok) loaded.delete(key);
    });
  }
  return result;
}

const downloads = new Map<string, Promise<FeatureExtractionPipeline>>();

/**
 * The model's pipeline, from a download already under way if there is one: a
 * download that outlasted MODEL_DOWNLOAD_TIMEOUT_MS goes on in the background
 * (transformers.js cannot cancel it), and the next attempt waits for it
 * rather than fetching the same files a second time.
 */
function modelPipeline(location: ModelLocation, options: Record<string, unknown>): Promise<FeatureExtractionPipeline> {
  const key = JSON.stringify([location.id, env.localModelPath, env.cacheDir, env.remoteHost]);
  let download = downloads.get(key);
  if (!download) {
    download = pipeline('feature-extraction', location.id, options) as Promise<FeatureExtractionPipeline>;
    downloads.set(key, download);
    // Settled either way: the files are in MODELS_DIR now, or the next attempt starts afresh.
    download.then(() => downloads.delete(key), () => downloads.delete(key));
  }
  return download;
}

/** Rejects after `ms`: a stalled download must not hold `npm start` for minutes. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms (MODEL_DOWNLOAD_TIMEOUT_MS)`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The model's own name as saved in config.json (a local copy of a hub model keeps it). */
function savedName(folder: string): string | null {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8')) as { _name_or_path?: unknown };
    return typeof config._name_or_path === 'string' ? config._name_or_path : null;
  } catch {
    return null;
  }
}

async function load(settings: EmbeddingSettings): Promise<EmbedderResult> {
  boundOnnxThreads(settings.EMBEDDING_THREADS);
  const location = locate(settings);
  try {
    // A local directory is read from disk at once; only hub models get progress bars.
    const options = { quantized: true, revision: REVISION, progress_callback: location.local ? undefined : downloadProgress() };
    const extractor = await withTimeout(modelPipeline(location, options), settings.MODEL_DOWNLOAD_TIMEOUT_MS);
    const tokenizer = extractor.tokenizer ?? (await AutoTokenizer.from_pretrained(location.id, options));
    const names = [settings.EMBEDDING_MODEL, savedName(location.folder), location.id].filter((n): n is string => n !== null);
    const known = profileFor(names, settings.EMBEDDING_PROFILE);
    // An unknown model without EMBEDDING_PROFILE gets no prefixes, mean pooling and its tokenizer's length.
    const profile = known ?? {
      queryPrefix: '', passagePrefix: '', pooling: 'mean' as const, maxTokens: Math.min(Number(tokenizer.model_max_length) || 512, 512),
    };
    const probe = (await extractor(['probe'], { pooling: profile.pooling, normalize: true })).tolist() as number[][];
    const embedder = new TransformersEmbedder(
      fingerprint(settings.EMBEDDING_MODEL, location.folder), profile, extractor, settings.EMBEDDING_BATCH_SIZE, probe[0]!.length,
    );
    return { ok: true, embedder };
  } catch (error) {
    const { reason, advice } = describeLoadError(error, settings, location);
    return { ok: false, reason, advice, message: errorMessages.MODEL_UNAVAILABLE(settings.EMBEDDING_MODEL, reason, advice) };
  }
}
