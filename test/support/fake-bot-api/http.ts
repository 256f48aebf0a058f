/** The wire: request bodies as grammY sends them (JSON, form-encoded, multipart with files), and answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from './errors.js';
import type { Params, UploadedFile } from './types.js';

export class BodyParseError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function parseParams(contentType: string | undefined, body: Buffer, query: URLSearchParams): Params {
  const params: Params = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (body.length === 0) return params;
  if (type === 'application/json') return { ...params, ...parseJsonObject(body) };
  if (type === 'application/x-www-form-urlencoded') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    if (!boundary) throw new BodyParseError('multipart body without boundary');
    return { ...params, ...parseMultipart(body, boundary[1] ?? boundary[2]!) };
  }
  throw new BodyParseError(`unsupported content-type "${type}"`);
}

function parseJsonObject(body: Buffer): Params {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BodyParseError('invalid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BodyParseError('JSON body is not an object');
  }
  return value as Params;
}

/** Text fields become strings, file parts become UploadedFile. */
function parseMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  if (body.indexOf(delimiter) !== 0) throw new BodyParseError('multipart body does not start with the boundary');
  let pos = delimiter.length;
  while (body.subarray(pos, pos + 2).toString() !== '--') {
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new BodyParseError('malformed multipart boundary');
    const end = body.indexOf(separator, pos + 2);
    if (end < 0) throw new BodyParseError('unterminated multipart body');
    const [name, value] = parsePart(body.subarray(pos + 2, end));
    params[name] = value;
    pos = end + separator.length;
  }
  return params;
}

function parsePart(part: Buffer): [string, string | UploadedFile] {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw new BodyParseError('multipart part without headers');
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const data = part.subarray(headerEnd + 4);
  const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
  const name = /(?:^|;)\s*name="([^"]*)"/.exec(disposition)?.[1];
  if (name === undefined) throw new BodyParseError('multipart part without a name');
  // grammY sends the filename unquoted: `filename=voice.ogg`.
  const filename = /;\s*filename=(?:"([^"]*)"|([^;\r\n]*))/.exec(disposition);
  if (!filename) return [name, data.toString('utf8')];
  return [name, { filename: (filename[1] ?? filename[2] ?? '').trim(), size: data.length, data }];
}

export function send(res: ServerResponse, body: { ok: boolean; error_code?: number } & Params) {
  if (res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(body.ok ? 200 : (body.error_code ?? 500), {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

export function sendError(res: ServerResponse, error: ApiError) {
  send(res, {
    ok: false,
    error_code: error.code,
    description: error.description,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  });
}

export function brief(value: unknown): string {
  const describeFiles = (_key: string, v: unknown) => (isUploadedFile(v) ? `<file ${v.filename}, ${v.size} bytes>` : v);
  const json = JSON.stringify(value, describeFiles) ?? 'undefined';
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as Partial<UploadedFile>).data);
}
