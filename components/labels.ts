/** The recommended Kubernetes labels, put on every object edgeplane creates. */
export function standardLabels(component: string, environment: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/part-of': 'edgeplane',
    'app.kubernetes.io/managed-by': 'pulumi',
    'edgeplane.dev/environment': environment,
  };
}

/** Marks a LoadBalancer Service as one of the CDN's public entries (the only ones policy allows). */
export const entryLabel = 'edgeplane.dev/entry';
