// Finds secret values that reached a plain (non-secret) resource input or stack output.
import type { Plan } from './plan.ts';

export interface SecretLeak {
  where: string;
  secret: string;
}

export function secretLeaks(
  plan: Pick<Plan, 'resources' | 'outputs' | 'secretOutputs'>,
  secrets: readonly string[],
): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  const check = (where: string, value: unknown, secretPaths: readonly string[]) => {
    for (const [path, text] of stringsIn(value, '')) {
      if (
        secretPaths.some((secretPath) => path === secretPath || path.startsWith(`${secretPath}.`))
      )
        continue;
      for (const secret of secrets) {
        if (text.includes(secret))
          leaks.push({ where: `${where}${path ? `.${path}` : ''}`, secret });
      }
    }
  };
  for (const resource of plan.resources) {
    check(`${resource.type}::${resource.name}`, resource.inputs, resource.secretInputPaths);
  }
  for (const [name, value] of Object.entries(plan.outputs)) {
    if (!plan.secretOutputs.includes(name)) check(`output ${name}`, value, []);
  }
  return leaks;
}

/** Every string inside a value with its dotted path. */
function stringsIn(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    stringsIn(inner, path === '' ? key : `${path}.${key}`),
  );
}
