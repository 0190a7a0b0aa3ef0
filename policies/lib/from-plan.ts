// Turns the resources an offline plan recorded (test/harness/pulumi ResourceRecorder) into what a
// policy pack sees under `pulumi preview`. The mocks never see default providers, so a custom
// resource with no explicit provider gets the engine's default provider of its package, named
// `default` (the engine names it `default_<version>`; isDefaultProvider() accepts both).
import type { PolicyProviderResource } from '@pulumi/policy';
import type { RecordedResource } from '../../test/harness/pulumi/resource-recorder.ts';
import type { PolicyResourceInput } from './resources.ts';

const providerTypePrefix = 'pulumi:providers:';

/** `urn:pulumi:<stack>::<project>::...`: the stack and project a resource's URN names. */
function stackAndProject(urn: string): [string, string] {
  const [, stack = 'stack', project = 'project'] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn) ?? [];
  return [stack, project];
}

function defaultProvider(resource: RecordedResource): PolicyProviderResource {
  const [stack, project] = stackAndProject(resource.urn);
  const type = `${providerTypePrefix}${resource.type.split(':')[0]}`;
  return {
    type,
    name: 'default',
    urn: `urn:pulumi:${stack}::${project}::${type}::default`,
    props: {},
  };
}

/** A provider reference is `<provider urn>::<provider id>`; URNs contain `::` themselves. */
function providerUrn(reference: string): string {
  return reference.slice(0, reference.lastIndexOf('::'));
}

/** The URN's type part: the resource's type after its parents' types, joined by `$`. */
const qualifiedType = (urn: string) => urn.split('::')[2] ?? '';

export function policyResourcesFromPlan(
  recorded: readonly RecordedResource[],
): PolicyResourceInput[] {
  const byUrn = new Map(recorded.map((resource) => [resource.urn, resource]));
  const providerOf = (resource: RecordedResource): PolicyProviderResource | undefined => {
    if (!resource.custom || resource.type.startsWith(providerTypePrefix)) return undefined;
    if (!resource.provider) return defaultProvider(resource);
    const urn = providerUrn(resource.provider);
    const provider = byUrn.get(urn);
    return provider
      ? { type: provider.type, name: provider.name, urn, props: provider.inputs }
      : {
          type: qualifiedType(urn).split('$').pop() ?? '',
          name: urn.split('::')[3] ?? '',
          urn,
          props: {},
        };
  };
  return recorded.map((resource) => {
    const provider = providerOf(resource);
    return {
      type: resource.type,
      name: resource.name,
      urn: resource.urn,
      props: resource.inputs,
      opts: {
        protect: resource.protect,
        ignoreChanges: resource.ignoreChanges ?? [],
        additionalSecretOutputs: resource.additionalSecretOutputs ?? [],
      },
      ...(provider ? { provider } : {}),
      ...(resource.parent ? { parent: resource.parent } : {}),
      dependencies: resource.dependencies ?? [],
    };
  });
}
