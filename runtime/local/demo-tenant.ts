// The demo tenant, its site for demo.localhost and an API key, made idempotently across restarts.
// Keys are shown once, so the key is kept in a 0600 file of the data folder and reused while it
// still works; when it does not (revoked, or the file is gone) a new one is minted for the same
// tenant. Tenants and keys are operator actions on the database (tenants.ts); the site goes
// through the API like any tenant's, so the edges hear of it on the event stream.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { createKey } from '../origin/keys-store.ts';
import { createTenant } from '../origin/tenants.ts';
import { demoHost } from './config.ts';

export interface DemoTenant {
  tenantId: string;
  siteId: string;
  /** The admin API key, in clear. */
  key: string;
  /** Where the key is kept (mode 0600). */
  keyFile: string;
  /** True when this start minted the key (the tenant or the key was new). */
  keyIsNew: boolean;
}

export interface DemoTenantOptions {
  databaseUrl: string;
  apiUrl: string;
  dir: string;
  demoOriginUrl: string;
}

export async function ensureDemoTenant(options: DemoTenantOptions): Promise<DemoTenant> {
  const keyFile = join(options.dir, 'demo-api-key');
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    const owner = await pool.query<{ tenant_id: string; site_id: string }>(
      'SELECT s.tenant_id, s.id AS site_id FROM site_hosts h JOIN sites s ON s.id = h.site_id WHERE h.host = $1',
      [demoHost],
    );
    const hostOwner = owner.rows[0];
    const keptKey = (await readFile(keyFile, 'utf8').catch(() => '')).trim();
    const keyTenant = keptKey ? await tenantOfKey(options.apiUrl, keptKey) : undefined;

    let tenantId: string;
    let key: string;
    let keyIsNew = false;
    if (keyTenant !== undefined && (hostOwner === undefined || hostOwner.tenant_id === keyTenant)) {
      tenantId = keyTenant;
      key = keptKey;
    } else if (hostOwner !== undefined) {
      tenantId = hostOwner.tenant_id;
      const minted = await createKey(pool, tenantId, 'system', {
        name: 'local mode',
        scopes: ['admin'],
      });
      key = minted.token;
      keyIsNew = true;
    } else {
      const tenant = await createTenant(pool, 'Demo tenant');
      tenantId = tenant.id;
      key = tenant.adminKey.token;
      keyIsNew = true;
    }
    if (keyIsNew) {
      await writeFile(`${keyFile}.new`, `${key}\n`, { mode: 0o600 });
      await rename(`${keyFile}.new`, keyFile);
    }
    const siteId = await ensureDemoSite(options, key, hostOwner?.site_id);
    return { tenantId, siteId, key, keyFile, keyIsNew };
  } finally {
    await pool.end();
  }
}

async function tenantOfKey(apiUrl: string, key: string): Promise<string | undefined> {
  const response = await fetch(`${apiUrl}/v1/tenant`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (response.status === 401) return undefined;
  if (response.status !== 200) {
    throw new Error(`GET /v1/tenant answered ${response.status}: ${await response.text()}`);
  }
  return ((await response.json()) as { id: string }).id;
}

interface SiteRecord {
  id: string;
  name: string;
  hosts: string[];
  origin: string;
  cache: unknown;
}

/** The site for demoHost pointing at the demo origin: created, or its origin updated. */
async function ensureDemoSite(
  options: DemoTenantOptions,
  key: string,
  siteId: string | undefined,
): Promise<string> {
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${options.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    }
    return JSON.parse(text) as SiteRecord;
  };
  if (siteId === undefined) {
    const created = await api('POST', '/v1/sites', {
      name: 'Demo site',
      hosts: [demoHost],
      origin: options.demoOriginUrl,
    });
    return created.id;
  }
  const site = await api('GET', `/v1/sites/${siteId}`);
  if (site.origin !== options.demoOriginUrl) {
    await api('PUT', `/v1/sites/${siteId}`, {
      name: site.name,
      hosts: site.hosts,
      origin: options.demoOriginUrl,
      cache: site.cache,
    });
  }
  return siteId;
}
