// Requests to the origin with the edge token.
export interface OriginLinkOptions {
  /** Base URL of the origin API, e.g. https://origin.edgeplane.svc:8080 */
  originUrl: string;
  edgeToken: string;
}

export function linkUrl(options: OriginLinkOptions, path: string): string {
  return new URL(
    path,
    options.originUrl.endsWith('/') ? options.originUrl : `${options.originUrl}/`,
  ).toString();
}

export function authHeaders(options: OriginLinkOptions): Record<string, string> {
  return { authorization: `Bearer ${options.edgeToken}` };
}

export class OriginLinkError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'OriginLinkError';
    this.status = status;
  }
}
