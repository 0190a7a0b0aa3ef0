// The edge's side of the origin link: snapshot, event stream follower, site source, usage batches.
export { Backoff } from './backoff.ts';
export { EventFollower, type EventFollowerOptions } from './event-follower.ts';
export { OriginLinkError, type OriginLinkOptions } from './http.ts';
export {
  type OriginLinkStatus,
  OriginSiteSource,
  type OriginSiteSourceOptions,
} from './origin-site-source.ts';
export { fetchSnapshot } from './snapshot.ts';
export { UsageFlusher, type UsageFlusherOptions } from './usage-flusher.ts';
export * from './wire.ts';
