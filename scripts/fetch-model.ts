/**
 * `npm run fetch-model`: downloads EMBEDDING_MODEL (with a progress bar per
 * file) into MODELS_DIR and checks that it loads, so that a machine without
 * network can be given the folder (see README, "Air-gapped install").
 */
import { loadEmbedder, retrievalError } from '../retrieval/api.js';
import { runCommand } from './cli.js';

const command = {
  name: 'fetch-model',
  about:
    'Downloads EMBEDDING_MODEL from the Hugging Face hub (or the mirror HF_ENDPOINT names) into MODELS_DIR, with a progress\n' +
    'bar per file, and checks that it loads. For a machine without network: run it where there is one and copy MODELS_DIR.',
  options: {},
} as const;

runCommand(command, async (config) => {
  console.log(`Fetching ${config.EMBEDDING_MODEL} into ${config.MODELS_DIR}…`);
  // This command exists to download: ALLOW_REMOTE_MODELS=false in .env (meant for the bot) does not stop it.
  const loaded = await loadEmbedder({ ...config, ALLOW_REMOTE_MODELS: true });
  if (!loaded.ok) throw retrievalError('MODEL_DOWNLOAD_FAILED', config.EMBEDDING_MODEL, loaded.reason, loaded.advice);
  const { embedder } = loaded;
  console.log(`model:     ${embedder.model} (revision ${embedder.fingerprint.revision}), ${embedder.dimension} dimensions`);
  console.log(`profile:   ${JSON.stringify(embedder.profile)}`);
  for (const [file, hash] of Object.entries(embedder.fingerprint.files)) console.log(`file:      ${file}  sha256 ${hash}`);
  console.log('Copy the MODELS_DIR folder to the offline machine and set ALLOW_REMOTE_MODELS=false there.');
});
