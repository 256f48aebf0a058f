/** Fault injection: the next calls of a method fail as a test plans (an error answer, a dropped connection, a late answer). */
import type { ServerResponse } from 'node:http';
import { ApiError } from './errors.js';
import { sendError } from './http.js';
import type { InjectedError } from './types.js';

export class FaultPlan {
  private readonly failures = new Map<string, (InjectedError | 'pass')[]>();

  /**
   * The next calls of `method` fail with these errors, one per call, in order;
   * with `every` n, each error comes after n - 1 calls that go through (faults spread over a run).
   */
  add(method: string, errors: InjectedError[], every = 1): void {
    const key = method.toLowerCase();
    const spread = errors.flatMap((error) => [...Array<'pass'>(every - 1).fill('pass'), error]);
    this.failures.set(key, [...(this.failures.get(key) ?? []), ...spread]);
  }

  /** The fault planned for this call of `method`, if any: each call takes its turn. */
  next(method: string): InjectedError | undefined {
    const next = this.failures.get(method.toLowerCase())?.shift();
    return next === 'pass' ? undefined : next;
  }
}

/** Answers a call with an injected error: Telegram's JSON error, or the HTML page a proxy sends for 502. */
export function answerWithFault(res: ServerResponse, error: Extract<InjectedError, { code: unknown }>): void {
  if (error.code === 'html502') {
    const page = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n';
    res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
    return void res.end(page);
  }
  if (error.code === 429) {
    const description = `Too Many Requests: retry after ${error.retryAfter}`;
    return sendError(res, new ApiError(429, description, { retry_after: error.retryAfter }));
  }
  sendError(res, new ApiError(error.code, error.code === 500 ? 'Internal Server Error' : 'Bad Gateway'));
}
