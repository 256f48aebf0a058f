/**
 * How a model must be fed: the prefixes it was trained with, how token
 * vectors are pooled, and how many tokens one input may hold. Known models
 * are looked up by hub id (a local copy is matched by its config.json
 * `_name_or_path` or folder name); anything else needs EMBEDDING_PROFILE.
 * Guessing from a name is what this replaces: a local folder not named
 * "e5" silently lost its prefixes.
 */
import type { ModelProfile } from '../config.js';

export type { ModelProfile };

const e5 = { queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean', maxTokens: 512 } as const;

/** Models this project knows; the E5 family was trained with "query: " / "passage: " and mean pooling. */
const knownProfiles: Record<string, ModelProfile> = {
  'Xenova/multilingual-e5-small': e5,
  'Xenova/multilingual-e5-base': e5,
  'Xenova/multilingual-e5-large': e5,
  'intfloat/multilingual-e5-small': e5,
  'intfloat/multilingual-e5-base': e5,
  'Xenova/paraphrase-multilingual-MiniLM-L12-v2': { queryPrefix: '', passagePrefix: '', pooling: 'mean', maxTokens: 128 },
  'Xenova/bge-small-zh-v1.5': {
    queryPrefix: '为这个句子生成表示以用于检索相关文章：', passagePrefix: '', pooling: 'cls', maxTokens: 512,
  },
};

/** The profile of a model: the override if one is set, else the table entry of any of its names, else null. */
export function profileFor(names: string[], override: ModelProfile | undefined): ModelProfile | null {
  if (override) return override;
  for (const name of names) {
    const profile = knownProfiles[name];
    if (profile) return profile;
  }
  return null;
}
