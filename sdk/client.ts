// Typed client of the origin API. Request and response types come from the zod schemas the
// origin validates and documents with, so the SDK and the server cannot disagree on a field.
import type { z } from 'zod';
import type { keyInputSchema, keyRecordSchema } from '../runtime/origin/keys-store.ts';
import type { Problem } from '../runtime/origin/problem.ts';
import type { purgeInputSchema, purgeRecordSchema } from '../runtime/origin/purges-store.ts';
import type { siteInputSchema, siteRecordSchema } from '../runtime/origin/sites-store.ts';
import type { usageQuerySchema, usageRowSchema } from '../runtime/origin/usage-store.ts';
import type { userInputSchema, userRecordSchema } from '../runtime/origin/users-store.ts';

export type SiteInput = z.input<typeof siteInputSchema>;
export type SiteRecord = z.output<typeof siteRecordSchema>;
export type PurgeInput = z.input<typeof purgeInputSchema>;
export type PurgeRecord = z.output<typeof purgeRecordSchema>;
export type KeyInput = z.input<typeof keyInputSchema>;
export type KeyRecord = z.output<typeof keyRecordSchema>;
export type UserInput = z.input<typeof userInputSchema>;
export type UserRecord = z.output<typeof userRecordSchema>;
export type UsageQuery = z.input<typeof usageQuerySchema>;
export type UsageRow = z.output<typeof usageRowSchema>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageOptions {
  limit?: number;
  cursor?: string;
}

/** An RFC 9457 problem answered by the API. */
export class EdgeplaneApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem ? `${problem.title}: ${problem.detail}` : fallback);
    this.name = 'EdgeplaneApiError';
    this.status = status;
    this.problem = problem;
  }
}

export interface EdgeplaneClientOptions {
  /** e.g. https://origin.example.com */
  baseUrl: string;
  /** ep_<prefix>_<secret> */
  apiKey: string;
  /** Retries of a 429 after its Retry-After (at most this many; 0 to never retry). */
  maxRateLimitRetries?: number;
  /** Longest Retry-After honoured, in seconds; a longer one fails at once. */
  maxRetryAfterSeconds?: number;
}

export class EdgeplaneClient {
  private readonly options: EdgeplaneClientOptions;

  constructor(options: EdgeplaneClientOptions) {
    this.options = options;
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const url = new URL(path, this.options.baseUrl);
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json, application/problem+json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (response.status === 429 && attempt < (this.options.maxRateLimitRetries ?? 2)) {
        const wait = Number(response.headers.get('retry-after') ?? '1');
        if (Number.isFinite(wait) && wait <= (this.options.maxRetryAfterSeconds ?? 60)) {
          await response.body?.cancel();
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait) * 1000));
          continue;
        }
      }
      const text = await response.text();
      if (!response.ok) {
        let problem: Problem | undefined;
        try {
          problem = JSON.parse(text) as Problem;
        } catch {}
        throw new EdgeplaneApiError(
          response.status,
          problem,
          `${method} ${path} answered ${response.status}`,
        );
      }
      return (text === '' ? undefined : JSON.parse(text)) as T;
    }
  }

  private static query(params: Record<string, string | number | undefined>): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) search.set(key, String(value));
    const text = search.toString();
    return text === '' ? '' : `?${text}`;
  }

  /** Every item of a paged list, fetching pages as the caller iterates. */
  async *all<T>(list: (page: PageOptions) => Promise<Page<T>>, limit = 200): AsyncGenerator<T> {
    let cursor: string | undefined;
    for (;;) {
      const page = await list({ limit, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      if (page.nextCursor === null) return;
      cursor = page.nextCursor;
    }
  }

  readonly tenant = {
    get: () => this.request<{ id: string; name: string; createdAt: string }>('GET', '/v1/tenant'),
  };

  readonly sites = {
    list: (page: PageOptions = {}) =>
      this.request<Page<SiteRecord>>('GET', `/v1/sites${EdgeplaneClient.query({ ...page })}`),
    get: (id: string) => this.request<SiteRecord>('GET', `/v1/sites/${encodeURIComponent(id)}`),
    create: (input: SiteInput) => this.request<SiteRecord>('POST', '/v1/sites', input),
    update: (id: string, input: SiteInput) =>
      this.request<SiteRecord>('PUT', `/v1/sites/${encodeURIComponent(id)}`, input),
    delete: (id: string) => this.request<void>('DELETE', `/v1/sites/${encodeURIComponent(id)}`),
  };

  readonly purges = {
    /** With an idempotency key, a retry of the same purge never commits a second one. */
    create: (input: PurgeInput, options: { idempotencyKey?: string } = {}) =>
      this.request<PurgeRecord>(
        'POST',
        '/v1/purges',
        input,
        options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
      ),
    list: (page: PageOptions & { site?: string } = {}) =>
      this.request<Page<PurgeRecord>>('GET', `/v1/purges${EdgeplaneClient.query({ ...page })}`),
    get: (seq: number) => this.request<PurgeRecord>('GET', `/v1/purges/${seq}`),
  };

  readonly keys = {
    list: (page: PageOptions = {}) =>
      this.request<Page<KeyRecord>>('GET', `/v1/keys${EdgeplaneClient.query({ ...page })}`),
    /** The token is in this answer only: store it now. */
    create: (input: KeyInput) =>
      this.request<KeyRecord & { token: string }>('POST', '/v1/keys', input),
    revoke: (id: string) => this.request<KeyRecord>('DELETE', `/v1/keys/${encodeURIComponent(id)}`),
  };

  readonly users = {
    list: (page: PageOptions = {}) =>
      this.request<Page<UserRecord>>('GET', `/v1/users${EdgeplaneClient.query({ ...page })}`),
    create: (input: UserInput) => this.request<UserRecord>('POST', '/v1/users', input),
    delete: (id: string) => this.request<void>('DELETE', `/v1/users/${encodeURIComponent(id)}`),
  };

  readonly usage = {
    query: (query: UsageQuery = {}) =>
      this.request<{ items: UsageRow[] }>('GET', `/v1/usage${EdgeplaneClient.query({ ...query })}`),
  };
}
