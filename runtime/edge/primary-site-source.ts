// A traffic worker's sites when the edge follows the origin: only the primary talks to the origin;
// it sends the whole set to each worker thread on request and on every change, over its MessagePort.
import { type MessagePort, parentPort } from 'node:worker_threads';
import type { Site, SiteSource } from '../lib/site.ts';
import { type Batch, unbatched } from './ipc-batch.ts';
import type { PrimaryToWorker, WorkerToPrimary } from './thread-protocol.ts';

type SitesMessage = Extract<PrimaryToWorker, { edgeplane: 'sites' }>;

export class PrimarySiteSource implements SiteSource {
  private sites: readonly Site[] = [];
  private isReady = false;
  private readonly listeners = new Set<(sites: readonly Site[]) => void>();
  private readonly first: Promise<void>;

  /** Listens on this worker's port to the primary and asks it for the current set. */
  constructor(port: MessagePort | null = parentPort) {
    if (port === null) throw new Error('PrimarySiteSource runs in a worker thread');
    let received: () => void = () => {};
    this.first = new Promise((resolve) => {
      received = resolve;
    });
    port.on('message', (raw: PrimaryToWorker | Batch<PrimaryToWorker>) => {
      for (const message of unbatched(raw)) {
        if (message.edgeplane !== 'sites') continue;
        this.receive(message);
        received();
      }
    });
    const want: WorkerToPrimary = { edgeplane: 'want-sites' };
    port.postMessage(want);
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** The primary's current set (empty and not ready before the origin's snapshot is in). */
  async load(): Promise<readonly Site[]> {
    await this.first;
    return this.sites;
  }

  subscribe(onChange: (sites: readonly Site[]) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  private receive(message: SitesMessage): void {
    this.sites = message.sites;
    this.isReady = message.ready;
    for (const listener of this.listeners) listener(this.sites);
  }
}
