/**
 * Reads the corpus folder: each `.txt` file decoded and parsed, its optional
 * `.meta.json` applied. A bad file is skipped with a warning that names it;
 * it never stops the rest of the corpus from being read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeCorpusFile } from './decode.js';
import type { ParsedDocument } from './document.js';
import { retrievalError } from '../errors.js';
import { applyDocumentMeta, parseDocumentMeta } from './meta.js';
import { parseDocument } from './parse.js';

export interface CorpusDocument extends ParsedDocument {
  encoding: string;
}

export interface Corpus {
  documents: CorpusDocument[];
  warnings: string[];
  /** One hash over every corpus file and meta file, good or bad: what decides whether the index is up to date. */
  hash: string;
}

function listCorpusFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw retrievalError('CORPUS_MISSING', dir);
  const files = fs.readdirSync(dir).filter((name) => name.toLowerCase().endsWith('.txt')).sort();
  if (files.length === 0) throw retrievalError('CORPUS_MISSING', dir);
  return files;
}

function metaPath(dir: string, file: string): string {
  return path.join(dir, `${file}.meta.json`);
}

function fileHash(dir: string, file: string, bytes: Buffer): string {
  const hash = crypto.createHash('sha256').update(bytes);
  if (fs.existsSync(metaPath(dir, file))) hash.update(fs.readFileSync(metaPath(dir, file)));
  return hash.digest('hex');
}

function readMeta(dir: string, file: string, document: ParsedDocument, warnings: string[]): void {
  const metaFile = `${file}.meta.json`;
  if (!fs.existsSync(metaPath(dir, file))) return;
  const json = fs.readFileSync(metaPath(dir, file), 'utf8');
  const result = parseDocumentMeta(json);
  if (!result.ok) {
    warnings.push(`${metaFile}: ignored, ${result.problem}`);
  } else {
    for (const problem of applyDocumentMeta(document, result.meta)) warnings.push(`${metaFile}: ${problem}`);
  }
}

export function readCorpus(dir: string): Corpus {
  const warnings: string[] = [];
  const documents: CorpusDocument[] = [];
  const corpusHash = crypto.createHash('sha256');
  for (const file of listCorpusFiles(dir)) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(dir, file));
    } catch (error) {
      warnings.push(`${file}: skipped, cannot be read (${(error as Error).message})`);
      continue;
    }
    corpusHash.update(`${file}\0${fileHash(dir, file, bytes)}\0`);
    const decoded = decodeCorpusFile(bytes);
    if (!decoded.ok) {
      warnings.push(`${file}: skipped, ${decoded.reason}`);
      continue;
    }
    const document = parseDocument(file, decoded.text);
    warnings.push(...document.warnings.map((warning) => `${file}: ${warning}`));
    readMeta(dir, file, document, warnings);
    if (document.sections.length === 0) {
      warnings.push(`${file}: skipped, no paragraphs found in it`);
      continue;
    }
    documents.push({ ...document, encoding: decoded.encoding });
  }
  return { documents, warnings, hash: corpusHash.digest('hex') };
}

/** Hash of the corpus folder without parsing it, to tell whether an index is out of date. */
export function hashCorpusFolder(dir: string): string {
  const corpusHash = crypto.createHash('sha256');
  for (const file of listCorpusFiles(dir)) {
    corpusHash.update(`${file}\0${fileHash(dir, file, fs.readFileSync(path.join(dir, file)))}\0`);
  }
  return corpusHash.digest('hex');
}
