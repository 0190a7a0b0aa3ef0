// Validates Kubernetes objects against the Kubernetes schema with kubernetes-models (plus the
// cert-manager and prometheus-operator CRD models). Runs as its own Node process because the
// models are ESM-only and jest runs tests as CommonJS: JSON objects in on stdin, results out on stdout.
import { text } from 'node:stream/consumers';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
  [field: string]: unknown;
}

export interface ValidationResult {
  object: string;
  /** `valid`, `invalid` (with the schema's message) or `no-schema` for kinds without a model. */
  status: 'valid' | 'invalid' | 'no-schema';
  message?: string;
}

interface Model {
  new (data: unknown): { validate(): void };
}

const crdPackages: Record<string, string> = {
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'acme.cert-manager.io': '@kubernetes-models/cert-manager',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

async function modelFor(apiVersion: string, kind: string): Promise<Model | undefined> {
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
  const base = crdPackages[group] ?? 'kubernetes-models';
  try {
    const module = (await import(`${base}/${apiVersion}`)) as Record<string, Model | undefined>;
    return module[kind];
  } catch {
    return undefined;
  }
}

export async function validate(objects: readonly KubernetesObject[]): Promise<ValidationResult[]> {
  const results: ValidationResult[] = [];
  for (const object of objects) {
    const name = `${object.apiVersion}/${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      results.push({ object: name, status: 'no-schema' });
      continue;
    }
    try {
      new Model(object).validate();
      results.push({ object: name, status: 'valid' });
    } catch (error) {
      results.push({ object: name, status: 'invalid', message: (error as Error).message });
    }
  }
  return results;
}

if (import.meta.main) {
  const objects = JSON.parse(await text(process.stdin)) as KubernetesObject[];
  process.stdout.write(JSON.stringify(await validate(objects)));
}
