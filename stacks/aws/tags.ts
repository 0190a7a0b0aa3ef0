// Tags on every AWS resource of a stack (through each provider's defaultTags), so cost reports and
// `aws resourcegroupstaggingapi` find a deployment's resources.
import type { StackConfig } from '../config.ts';

export function stackTags(config: StackConfig, region: string): Record<string, string> {
  return {
    'edgeplane:stack': config.stack,
    'edgeplane:environment': config.environment,
    'edgeplane:region': region,
    'edgeplane:domain': config.domain,
    'managed-by': 'pulumi',
  };
}
