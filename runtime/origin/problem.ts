// Errors as RFC 9457 problem details (application/problem+json). Validation problems name the
// field as a JSON pointer into the request part it came from.
export const problemContentType = 'application/problem+json';

export interface FieldProblem {
  /** e.g. body/hosts/0 or query/limit */
  field: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

const problemType = (slug: string) => `urn:edgeplane:problem:${slug}`;

export class ProblemError extends Error {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
  constructor(problem: Problem, headers: Record<string, string> = {}) {
    super(problem.detail);
    this.name = 'ProblemError';
    this.problem = problem;
    this.headers = headers;
  }
}

export const problems = {
  invalid: (errors: FieldProblem[]) =>
    new ProblemError({
      type: problemType('invalid-request'),
      title: 'Invalid request',
      status: 400,
      detail: errors.map((error) => `${error.field}: ${error.detail}`).join('; '),
      errors,
    }),
  unauthorized: (detail: string) =>
    new ProblemError(
      { type: problemType('unauthorized'), title: 'Unauthorized', status: 401, detail },
      { 'www-authenticate': 'Bearer realm="edgeplane"' },
    ),
  forbidden: (detail: string) =>
    new ProblemError({ type: problemType('forbidden'), title: 'Forbidden', status: 403, detail }),
  notFound: (detail: string) =>
    new ProblemError({ type: problemType('not-found'), title: 'Not found', status: 404, detail }),
  conflict: (detail: string, field?: string) =>
    new ProblemError({
      type: problemType('conflict'),
      title: 'Conflict',
      status: 409,
      detail,
      ...(field ? { errors: [{ field, detail }] } : {}),
    }),
  idempotencyMismatch: () =>
    new ProblemError({
      type: problemType('idempotency-key-reused'),
      title: 'Idempotency-Key reused',
      status: 422,
      detail: 'this Idempotency-Key was already used with a different request body',
      errors: [{ field: 'header/idempotency-key', detail: 'was used with a different body' }],
    }),
  rateLimited: (retryAfterSeconds: number) =>
    new ProblemError(
      {
        type: problemType('rate-limited'),
        title: 'Too many requests',
        status: 429,
        detail: `rate limit of this API key exceeded; retry after ${retryAfterSeconds} s`,
      },
      { 'retry-after': String(retryAfterSeconds) },
    ),
  unavailable: (detail: string) =>
    new ProblemError({
      type: problemType('unavailable'),
      title: 'Unavailable',
      status: 503,
      detail,
    }),
  internal: () =>
    new ProblemError({
      type: problemType('internal'),
      title: 'Internal error',
      status: 500,
      detail: 'the origin failed to handle this request; it has been logged',
    }),
};
