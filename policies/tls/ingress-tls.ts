import type { ResourceValidationPolicy } from '@pulumi/policy';
import { read, readArray, unknown } from '../lib/props.ts';

/** Whether a TLS host entry covers a rule host (`*.example.com` covers one label). */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  return (
    tlsHost.startsWith('*.') &&
    host.endsWith(tlsHost.slice(1)) &&
    !host.slice(0, -tlsHost.length + 1).includes('.')
  );
}

/** Every Ingress serves HTTPS for every host it routes, with a certificate Secret named. */
export const ingressTls: ResourceValidationPolicy = {
  name: 'ingress-tls',
  description:
    'Every Ingress has a spec.tls entry, with a certificate secretName, covering each host its rules route.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (args.type !== 'kubernetes:networking.k8s.io/v1:Ingress') return;
    const name = `${String(read(args.props, 'metadata.namespace'))}/${String(read(args.props, 'metadata.name') ?? args.name)}`;
    const tls = readArray(args.props, 'spec.tls');
    if (tls === unknown) return;
    if (tls === undefined || tls.length === 0) {
      report(`Ingress ${name} has no spec.tls: its hosts are served over plain HTTP`);
      return;
    }
    const tlsHosts: string[] = [];
    tls.forEach((entry, index) => {
      const secretName = read(entry, 'secretName');
      if (secretName === undefined || secretName === '') {
        report(`Ingress ${name}: spec.tls[${index}] names no certificate secretName`);
      }
      const hosts = readArray(entry, 'hosts');
      if (Array.isArray(hosts))
        tlsHosts.push(...hosts.filter((h): h is string => typeof h === 'string'));
    });
    const rules = readArray(args.props, 'spec.rules');
    if (!Array.isArray(rules)) return;
    for (const rule of rules) {
      const host = read(rule, 'host');
      if (typeof host !== 'string') continue;
      if (!tlsHosts.some((tlsHost) => covers(tlsHost, host))) {
        report(`Ingress ${name} routes ${host} but no spec.tls entry covers it`);
      }
    }
  },
};
