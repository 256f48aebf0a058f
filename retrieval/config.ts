import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { retrievalError } from './errors.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** How a model must be fed (see index/model-profile.ts for the known ones). */
export const modelProfileSchema = z.object({
  queryPrefix: z.string(),
  passagePrefix: z.string(),
  pooling: z.enum(['mean', 'cls']),
  maxTokens: z.number().int().positive(),
});

export type ModelProfile = z.infer<typeof modelProfileSchema>;

/** EMBEDDING_PROFILE is JSON, for models the profile table does not know. */
const profileFromEnv = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"queryPrefix":"","passagePrefix":"","pooling":"mean","maxTokens":512}' });
      return z.NEVER;
    }
  })
  .pipe(modelProfileSchema);

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings of the retrieval layer, read from the environment. */
export const retrievalConfigSchema = z.object({
  CORPUS_DIR: z.string().min(1).default('data/corpus'),
  INDEX_DIR: z.string().min(1).default('data/index'),
  EMBEDDING_MODEL: z.string().min(1).default('Xenova/multilingual-e5-small'),
  MODELS_DIR: z.string().min(1).default('models'),
  ALLOW_REMOTE_MODELS: booleanFromEnv.default(true),
  /** Where hub models are downloaded from: the Hugging Face hub, or a mirror of it (the variable huggingface_hub reads too). */
  HF_ENDPOINT: z.string().url('must be a URL like https://huggingface.co or https://hf-mirror.com').default('https://huggingface.co'),
  /** ONNX Runtime threads: the machine is shared with the bot's event loop. */
  EMBEDDING_THREADS: positiveInt(1),
  EMBEDDING_BATCH_SIZE: positiveInt(16),
  /** Prefixes, pooling and length for a model the profile table does not know (JSON). */
  EMBEDDING_PROFILE: profileFromEnv.optional(),
  /** A model download that takes longer fails (and is tried again later) instead of holding the start. */
  MODEL_DOWNLOAD_TIMEOUT_MS: positiveInt(600_000),
  /** How often a bot without vectors tries again to load the model, re-embed and swap in the new index. */
  MODEL_RETRY_MS: positiveInt(600_000),
  HNSW_M: positiveInt(16),
  HNSW_EF_CONSTRUCTION: positiveInt(200),
  HNSW_EF_SEARCH: positiveInt(128),
  /**
   * PostgreSQL (with pgvector) to hold the index instead of INDEX_DIR, shared by several bot replicas
   * (index/store/postgres/). INDEX_DIR then keeps only the embedding cache.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL like postgres://user:password@host:5432/database')
    .optional(),
  /** Optional file of terms segmentation must keep whole, one per line, added to those discovered in the corpus. */
  USER_DICTIONARY: z.string().min(1).optional(),
});

export type RetrievalConfig = z.infer<typeof retrievalConfigSchema>;

/** Loads `.env` (if present) without overriding variables already set. */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/** Formats zod issues as "NAME: problem" so the person knows which variable to fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates the environment against a schema, throwing a CONFIG_INVALID error that names the variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // Empty strings mean "unset" (a blank line in .env), so defaults apply.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) throw retrievalError('CONFIG_INVALID', describeIssues(result.error));
  return result.data;
}

export function loadRetrievalConfig(env: NodeJS.ProcessEnv = process.env): RetrievalConfig {
  const config = parseEnv(retrievalConfigSchema, env);
  return { ...config, CORPUS_DIR: path.resolve(config.CORPUS_DIR), INDEX_DIR: path.resolve(config.INDEX_DIR) };
}
