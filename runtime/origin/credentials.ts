// API keys, user passwords and the edge token.
// API keys are 32 random bytes, so a plain SHA-256 of the secret is as strong as a slow hash and
// keeps per-request checks cheap; user passwords are chosen by people and get scrypt.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const apiKeyScopes = ['read', 'purge', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface NewApiKey {
  /** The whole key, shown once: ep_<prefix>_<secret>. */
  token: string;
  prefix: string;
  secretHash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `ep_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

/** Splits a presented key into its lookup prefix and secret; undefined when it has the wrong form. */
export function parseApiKey(token: string): { prefix: string; secret: string } | undefined {
  const match = /^ep_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  return { prefix: match[1], secret: match[2] };
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = sha256(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}

const scryptParams = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** scrypt$N$r$p$salt$hash, all parameters stored so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, scryptParams);
  const { N, r, p } = scryptParams;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: scryptParams.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** Constant-time check of a Bearer token against the configured edge token. */
export function edgeTokenMatches(header: string | undefined, edgeToken: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(sha256(match[1].trim()), sha256(edgeToken));
}

export const newId = (kind: string): string => `${kind}_${randomBytes(8).toString('hex')}`;
