export { RawOriginClient, type RawOriginClientOptions } from './client.ts';
