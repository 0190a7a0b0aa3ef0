// Test support for components that run on a cluster: record what a program registers under the
// recording mocks, and a stand-in cluster with an explicit Kubernetes provider.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { type RecordedResource, ResourceRecorder } from '../../test/harness/pulumi/index.ts';
import type { ClusterOutputs } from './types.ts';

// The SDK drains its queue of pending registrations with this; it is exported but not typed.
const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

/** Runs `program` under fresh recording mocks and returns everything it registered. */
export async function recordProgram<T>(
  program: () => T,
  stack = 'component-test',
): Promise<{ resources: RecordedResource[]; result: T }> {
  const recorder = new ResourceRecorder();
  await pulumi.runtime.setMocks(recorder.mocks, 'edgeplane', stack, false);
  recorder.attach();
  const result = program();
  await runtime.waitForRPCs();
  return { resources: recorder.resources, result };
}

/** Waits for an Output's value (mocked outputs are always known when preview is false). */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** A cluster as the k3s component would hand it over, with an explicit provider. */
export function testCluster(): ClusterOutputs {
  const kubeconfig = pulumi.secret('apiVersion: v1\nkind: Config\nclusters: []\n');
  return {
    name: pulumi.output('test-cluster'),
    region: 'home-lab',
    provider: new k8s.Provider('test-cluster', { kubeconfig }),
    kubeconfig,
    storageClassName: 'local-path',
    ingressClassName: 'traefik',
  };
}

/** Kubernetes custom resources (not providers) that landed on the default provider. */
export function onDefaultProvider(resources: readonly RecordedResource[]): string[] {
  return resources
    .filter(
      (resource) =>
        resource.custom &&
        resource.type.startsWith('kubernetes:') &&
        !resource.type.startsWith('pulumi:providers:') &&
        resource.provider === undefined,
    )
    .map((resource) => `${resource.type}::${resource.name}`);
}

/** The one recorded Kubernetes object of this kind (`StatefulSet`); throws when there is none. */
export function ofKind(resources: readonly RecordedResource[], kind: string): RecordedResource {
  const found = resources.find((resource) => resource.inputs.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found;
}

// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON; tests read deep paths.
export type Json = any;
