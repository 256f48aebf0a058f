/**
 * The folders of the embedded store in INDEX_DIR. Each build goes to its own folder under `builds/`;
 * `current` is a symbolic link to the build in use, replaced atomically by
 * rename, so readers see either the old index or the new one, never a mix,
 * and a failed build leaves the index in use untouched.
 *
 *   INDEX_DIR/current -> builds/<id>/{corpus.sqlite, vectors.hnsw, manifest.json}
 *   INDEX_DIR/embedding-cache.sqlite
 */
import fs from 'node:fs';
import path from 'node:path';
import { retrievalError } from '../../../errors.js';
import { parseManifest, type Manifest } from '../../manifest.js';

export const files = {
  database: 'corpus.sqlite',
  vectors: 'vectors.hnsw',
  manifest: 'manifest.json',
} as const;

/** Old builds kept besides the current one, for readers that still have them open. */
const KEEP_PREVIOUS_BUILDS = 1;

/** A new, empty build folder whose name sorts after every earlier one. */
export function newBuildFolder(indexDir: string): string {
  const builds = path.join(indexDir, 'builds');
  fs.mkdirSync(builds, { recursive: true });
  const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
  const folder = path.join(builds, `${id}.partial`);
  fs.mkdirSync(folder);
  return folder;
}

/** Makes a finished build the current one, then removes builds older than the previous one. */
export function publishBuild(indexDir: string, partialFolder: string): string {
  const folder = partialFolder.replace(/\.partial$/, '');
  fs.renameSync(partialFolder, folder);
  const link = path.join(indexDir, 'current');
  const temporaryLink = `${link}.${process.pid}.tmp`;
  fs.symlinkSync(path.relative(indexDir, folder), temporaryLink);
  fs.renameSync(temporaryLink, link);
  pruneBuilds(indexDir, folder);
  return folder;
}

function pruneBuilds(indexDir: string, current: string): void {
  const builds = path.join(indexDir, 'builds');
  const finished = fs
    .readdirSync(builds)
    .map((name) => path.join(builds, name))
    .filter((folder) => folder !== current)
    .sort();
  const stale = finished.filter((folder) => folder.endsWith('.partial') && !isOwnedByLiveProcess(folder));
  const old = finished.filter((folder) => !folder.endsWith('.partial')).slice(0, -KEEP_PREVIOUS_BUILDS);
  for (const folder of [...stale, ...old]) fs.rmSync(folder, { recursive: true, force: true });
}

function isOwnedByLiveProcess(folder: string): boolean {
  const pid = Number(/-(\d+)\.partial$/.exec(folder)?.[1]);
  if (!pid || pid === process.pid) return pid === process.pid;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The folder of the build in use, or throws INDEX_MISSING. */
export function currentBuild(indexDir: string): string {
  const link = path.join(indexDir, 'current');
  try {
    return path.resolve(indexDir, fs.readlinkSync(link));
  } catch {
    throw retrievalError('INDEX_MISSING', indexDir);
  }
}

export function readManifest(buildFolder: string): Manifest {
  const file = path.join(buildFolder, files.manifest);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw retrievalError('INDEX_MANIFEST_MISMATCH', `${file} cannot be read: ${(error as Error).message}`);
  }
  return parseManifest(json, file);
}
