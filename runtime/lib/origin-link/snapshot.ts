// GET /v1/edge/snapshot: every site and the sequence number to follow the stream from.
import { authHeaders, linkUrl, OriginLinkError, type OriginLinkOptions } from './http.ts';
import { edgeLinkPaths, type Snapshot, snapshotSchema } from './wire.ts';

export async function fetchSnapshot(
  options: OriginLinkOptions,
  signal?: AbortSignal,
): Promise<Snapshot> {
  const response = await fetch(linkUrl(options, edgeLinkPaths.snapshot), {
    headers: authHeaders(options),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) {
    throw new OriginLinkError(
      `origin snapshot answered ${response.status}: ${(await response.text()).slice(0, 500)}`,
      response.status,
    );
  }
  const parsed = snapshotSchema.safeParse(await response.json());
  if (!parsed.success) {
    throw new OriginLinkError(
      `origin snapshot is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
