import type { StackValidationPolicy } from '@pulumi/policy';
import { isDefaultProvider } from '../lib/resources.ts';

interface Config {
  exemptPackages: string[];
}

/**
 * Every resource names its provider: a default provider takes its settings (region, project,
 * kubeconfig, credentials) from the environment of whoever runs Pulumi, so the same program can
 * land in the wrong account or cluster.
 */
export const noDefaultProvider: StackValidationPolicy = {
  name: 'no-default-provider',
  description:
    "No resource on a default provider (configured from the runner's environment); every resource gets an explicit provider.",
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      exemptPackages: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'Packages whose default provider is allowed, e.g. ["random"] (it reads no environment) or ["command"].',
      },
    },
  },
  validateStack: (args, report) => {
    // Defaults in code too: a pack served without the CLI's config gets {} from getConfig().
    const { exemptPackages = [] } = args.getConfig<Partial<Config>>();
    for (const resource of args.resources) {
      const provider = resource.provider;
      if (!provider || !isDefaultProvider(provider)) continue;
      const pkg = provider.type.replace(/^pulumi:providers:/, '');
      if (exemptPackages.includes(pkg)) continue;
      report(
        `${resource.type} ${resource.name} is on the default ${pkg} provider; pass an explicit provider (or the parent's providers option)`,
        resource.urn,
      );
    }
  },
};
