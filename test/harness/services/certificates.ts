// Throwaway certificates for TLS tests, made with Debian's openssl CLI: a CA, a server certificate
// it signs for the DNS name `localhost` only (so 127.0.0.1 is a host name the certificate does not
// carry), and a second, unrelated CA that must be refused.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  dir: string;
  caFile: string;
  /** PEM text of the CA that signed the server certificate. */
  caPem: string;
  /** PEM text of a CA that signed nothing here. */
  otherCaPem: string;
  certFile: string;
  keyFile: string;
  /** The only name the server certificate carries. */
  serverName: 'localhost';
  remove(): Promise<void>;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    throw new Error(`openssl ${args[0]} failed (is Debian's openssl installed?): ${error}`);
  }
}

async function makeCa(dir: string, name: string): Promise<{ key: string; cert: string }> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    `/CN=edgeplane test ${name}`,
  ]);
  return { key, cert };
}

export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeplane-certs-'));
  try {
    const ca = await makeCa(dir, 'ca');
    const otherCa = await makeCa(dir, 'other-ca');
    const keyFile = join(dir, 'server.key');
    const csr = join(dir, 'server.csr');
    const certFile = join(dir, 'server.crt');
    const extensions = join(dir, 'server.ext');
    await openssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      csr,
      '-subj',
      '/CN=localhost',
    ]);
    await writeFile(
      extensions,
      [
        'subjectAltName=DNS:localhost',
        'basicConstraints=CA:FALSE',
        'keyUsage=digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        '',
      ].join('\n'),
    );
    await openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-set_serial',
      '1',
      '-days',
      '2',
      '-extfile',
      extensions,
      '-out',
      certFile,
    ]);
    return {
      dir,
      caFile: ca.cert,
      caPem: await readFile(ca.cert, 'utf8'),
      otherCaPem: await readFile(otherCa.cert, 'utf8'),
      certFile,
      keyFile,
      serverName: 'localhost',
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
