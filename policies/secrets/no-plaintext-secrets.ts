import type { ResourceValidationPolicy } from '@pulumi/policy';
import { isWorkload } from '../lib/pods.ts';
import { read } from '../lib/props.ts';
import { stringsIn } from '../lib/strings.ts';
import { credentialIn, looksLikeCredentialName } from './credential-patterns.ts';

interface Config {
  allowedNames: string[];
}

/**
 * Credentials reach workloads only through Secrets: no literal env value under a credential's name,
 * and no password URL, private key or access key in an env value or a ConfigMap.
 */
export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: 'no-plaintext-secrets',
  description:
    'No credential in plain Kubernetes config: env values of workloads and ConfigMap data hold no password, token, key, password URL or private key (use a Secret and valueFrom.secretKeyRef).',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      allowedNames: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'Env variable or ConfigMap key names that look like credentials but are not (e.g. "AUTH_MODE").',
      },
    },
  },
  validateResource: (args, report) => {
    // Defaults in code too: a pack served without the CLI's config gets {} from getConfig().
    const { allowedNames = [] } = args.getConfig<Partial<Config>>();
    const check = (where: string, name: string, value: string) => {
      if (value === '' || allowedNames.includes(name)) return;
      const kind = credentialIn(value);
      if (kind) report(`${args.name}: ${where} holds ${kind} in plain text; put it in a Secret`);
      else if (looksLikeCredentialName(name)) {
        report(
          `${args.name}: ${where} (${name}) is a credential given as a literal value; use valueFrom.secretKeyRef`,
        );
      }
    };
    if (isWorkload(args.type)) {
      for (const [path, value] of stringsIn(args.props, '')) {
        const match = /^(.*\.env\.\d+)\.value$/.exec(path);
        if (!match?.[1]) continue;
        const name = read(args.props, `${match[1]}.name`);
        check(path, typeof name === 'string' ? name : '', value);
      }
    } else if (args.type === 'kubernetes:core/v1:ConfigMap') {
      for (const [path, value] of stringsIn(read(args.props, 'data'), 'data')) {
        check(path, path.slice('data.'.length), value);
      }
    }
  },
};
