/**
 * A stand-in for the Hugging Face hub on 127.0.0.1: serves the files of a
 * model folder at `/{model}/resolve/{revision}/{file}` as the hub does (with
 * Content-Length, which transformers.js reads for its progress events), 404
 * for anything else. It can hold a file back, to play a stalled download.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export class FakeHub {
  /** Every path asked for, in order. */
  readonly requests: string[] = [];
  private held: { file: string; waiting: Array<() => void> } | null = null;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Serves `folder` as the model `model` (e.g. "test-org/tiny"). */
  static async start(model: string, folder: string): Promise<FakeHub> {
    let hub: FakeHub | null = null;
    const server = http.createServer((req, res) => void hub!.serve(model, folder, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hub = new FakeHub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return hub;
  }

  /** Sends the first half of `file` and then nothing until `release()`. */
  hold(file: string): void {
    this.held = { file, waiting: [] };
  }

  release(): void {
    const waiting = this.held?.waiting ?? [];
    this.held = null;
    waiting.forEach((resume) => resume());
  }

  requestsFor(file: string): number {
    return this.requests.filter((request) => request.endsWith(`/${file}`)).length;
  }

  private async serve(model: string, folder: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = decodeURIComponent(new URL(req.url ?? '/', this.url).pathname);
    this.requests.push(url);
    const prefix = `/${model}/resolve/main/`;
    const file = url.startsWith(prefix) ? url.slice(prefix.length) : null;
    const full = file && !file.includes('..') ? path.join(folder, file) : null;
    if (!full || !fs.existsSync(full) || !fs.statSync(full).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const body = fs.readFileSync(full);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    if (this.held?.file === file) {
      const half = Math.floor(body.length / 2);
      res.write(body.subarray(0, half));
      await new Promise<void>((resume) => this.held!.waiting.push(resume));
      res.end(body.subarray(half));
      return;
    }
    res.end(body);
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
