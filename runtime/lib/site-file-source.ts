// Sites from a JSON or YAML file (EDGEPLANE_SITES_FILE). The file is re-read when it changes,
// so a ConfigMap update reaches a running edge; a bad new file is reported and the old sites stay.
import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { parseSites, type Site, type SiteSource, SitesError } from './site.ts';

export class FileSiteSource implements SiteSource {
  readonly path: string;
  private readonly onError: (error: Error) => void;

  constructor(path: string, onError: (error: Error) => void = () => {}) {
    this.path = path;
    this.onError = onError;
  }

  async load(): Promise<readonly Site[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      throw new SitesError(this.path, [`cannot read the file: ${(error as Error).message}`]);
    }
    let document: unknown;
    try {
      // YAML is a superset of JSON, so one parser reads both formats.
      document = parseYaml(text);
    } catch (error) {
      throw new SitesError(this.path, [`not valid JSON or YAML: ${(error as Error).message}`]);
    }
    return parseSites(document ?? { sites: [] }, this.path);
  }

  subscribe(onChange: (sites: readonly Site[]) => void): () => void {
    const listener = () => {
      this.load().then(onChange, (error: Error) => this.onError(error));
    };
    watchFile(this.path, { interval: 1000, persistent: false }, listener);
    return () => unwatchFile(this.path, listener);
  }
}

/** A fixed set of sites: tests, and the embedded local mode. */
export class StaticSiteSource implements SiteSource {
  private readonly sites: readonly Site[];
  constructor(sites: readonly Site[]) {
    this.sites = sites;
  }
  async load(): Promise<readonly Site[]> {
    return this.sites;
  }
}
