import * as pulumi from '@pulumi/pulumi';

/** `opts` with `extra` added to its dependsOn (which, in this component, is always a plain list). */
export function withDependencies(
  opts: pulumi.CustomResourceOptions,
  extra: readonly pulumi.Resource[],
): pulumi.CustomResourceOptions {
  const current = opts.dependsOn;
  if (pulumi.Output.isInstance(current)) {
    throw new Error('withDependencies: dependsOn must be a resource or a list of resources');
  }
  const list = current === undefined ? [] : Array.isArray(current) ? current : [current];
  return { ...opts, dependsOn: [...(list as pulumi.Input<pulumi.Resource>[]), ...extra] };
}
