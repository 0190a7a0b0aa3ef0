// The runtime on Kubernetes: the edge (and, in the home region, the origin) in namespace
// `edgeplane`, with their credentials, Services, autoscaling, disruption budgets, metrics
// scraping, an Ingress with cert-manager TLS and a default-deny network.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { envNames, ports, type RuntimeRole } from '../../runtime/contract.ts';
import { redisUrl } from '../cache/types.ts';
import { clusterNamespace } from '../cluster/namespace.ts';
import { postgresUrl } from '../database/types.ts';
import { standardLabels } from '../labels.ts';
import { namespaces } from '../namespaces.ts';
import type { CdnArgs } from './args.ts';
import { validateCdnArgs } from './args-schema.ts';
import { edgeAutoscaler } from './autoscaler.ts';
import { edgeWorkersFor, runtimeContainer, writablePaths } from './container.ts';
import { checksumAnnotation, runtimeCredentials, type SecretEnvName } from './credentials.ts';
import { defaultDiskCacheMb } from './edge-memory.ts';
import { edgeplaneIngress } from './ingress.ts';
import { loadBalancerEntry } from './load-balancer.ts';
import { networkPolicies } from './network-policies.ts';
import { runtimePodSelector } from './pod-selector.ts';
import { runtimeServiceMonitor } from './service-monitor.ts';
import type { CdnHostnames, CdnOutputs } from './types.ts';
import { runtimeWorkload } from './workload.ts';

export type * from './args.ts';
export { CdnArgsError } from './args-schema.ts';
export { runtimePodSelector } from './pod-selector.ts';
export type * from './types.ts';

/** Names of each role's Deployment, Service, PDB, ServiceAccount and ServiceMonitor. */
export const workloadNames = { edge: 'edgeplane-edge', origin: 'edgeplane-origin' } as const;

export class Cdn extends pulumi.ComponentResource implements CdnOutputs {
  public readonly namespace: string;
  public readonly hostnames: CdnHostnames;
  public readonly edgeService: string;
  public readonly homeOrigin?: { url: string; edgeToken: pulumi.Output<string> };
  public readonly loadBalancers?: { edge: pulumi.Output<string>; origin?: pulumi.Output<string> };

  constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): bad arguments register nothing, not even the component.
    validateCdnArgs(name, args);
    super('edgeplane:cdn:Cdn', name, {}, opts);
    const { cluster, runtime, region, environment, monitoring } = args;
    const k8sOpts: pulumi.CustomResourceOptions = { parent: this, provider: cluster.provider };

    // Pulumi names carry the Cdn's name: a stack with several regions holds one Cdn per cluster.
    const resourceName = (kubernetesName: string) => `${name}-${kubernetesName}`;
    const namespace = clusterNamespace(
      resourceName(namespaces.cdn),
      // network-policies.ts holds this namespace's own default-deny (ingress and egress) and allows.
      { cluster, name: namespaces.cdn, component: 'cdn', environment, defaultDeny: false },
      k8sOpts,
    );
    const inNamespace: pulumi.CustomResourceOptions = { ...k8sOpts, dependsOn: [namespace] };
    const namespaceName = namespaces.cdn;
    this.namespace = namespaceName;
    const cdnLabels = standardLabels('cdn', environment);

    const roleLabels = (role: RuntimeRole) => ({
      selector: runtimePodSelector(role),
      labels: standardLabels(role, environment),
    });

    // The token edges present to the origin: generated in the home region, handed to the others.
    const edgeToken: pulumi.Output<string> =
      region.role === 'home'
        ? pulumi.secret(
            new random.RandomPassword(
              `${name}-edge-token`,
              { length: 48, special: false },
              { parent: this },
            ).result,
          )
        : pulumi.secret(pulumi.output(region.homeOrigin.edgeToken));

    const credentials = (
      role: RuntimeRole,
      data: Partial<Record<SecretEnvName, pulumi.Output<string>>>,
    ) => {
      const secretName = `${workloadNames[role]}-credentials`;
      return runtimeCredentials(
        resourceName(secretName),
        secretName,
        { namespace: namespaceName, labels: roleLabels(role).labels, data },
        inNamespace,
      );
    };

    const common = {
      image: runtime.image,
      region: cluster.region,
      logLevel: runtime.logLevel ?? 'info',
      otlpEndpoint: monitoring.otlpEndpoint,
    };
    const tmpVolume = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
    const tmpMount = { name: 'tmp', mountPath: writablePaths.tmp };

    // Edge.
    const edgeLabels = roleLabels('edge');
    const diskCacheMb = runtime.cacheDiskMb ?? defaultDiskCacheMb;
    // Bearer token of the edge's purge endpoint on its management port (operators' direct purges).
    const purgeToken = pulumi.secret(
      new random.RandomPassword(
        `${name}-purge-token`,
        { length: 48, special: false },
        { parent: this },
      ).result,
    );
    const edgeSecret = credentials('edge', {
      [envNames.edgeToken]: edgeToken,
      [envNames.purgeToken]: purgeToken,
    });
    const edgeVolumes: k8s.types.input.core.v1.Volume[] = [tmpVolume];
    const edgeMounts: k8s.types.input.core.v1.VolumeMount[] = [tmpMount];
    if (diskCacheMb > 0) {
      // Headroom over the tier's size for files being written while old ones are evicted.
      edgeVolumes.push({
        name: 'disk-cache',
        emptyDir: { sizeLimit: `${Math.ceil(diskCacheMb * 1.1)}Mi` },
      });
      edgeMounts.push({ name: 'disk-cache', mountPath: writablePaths.diskCache });
    }
    const originUrl =
      region.role === 'home'
        ? `http://${workloadNames.origin}.${namespaceName}.svc:${ports.traffic}`
        : region.homeOrigin.url;
    const edge = runtimeWorkload(
      workloadNames.edge,
      {
        resourcePrefix: name,
        role: 'edge',
        namespace: namespaceName,
        ...edgeLabels,
        // The autoscaler owns the replica count: leaving it unset keeps `pulumi up` from resetting it.
        replicas: undefined,
        container: runtimeContainer({
          ...common,
          role: 'edge',
          resources: runtime.edgeResources,
          settings: {
            [envNames.originUrl]: originUrl,
            [envNames.cacheMemoryMb]: String(runtime.cacheMemoryMb),
            [envNames.edgeWorkers]: String(edgeWorkersFor(runtime.edgeResources)),
            [envNames.cacheDiskMb]: String(diskCacheMb),
            [envNames.cacheDiskPath]: diskCacheMb > 0 ? writablePaths.diskCache : undefined,
          },
          secretName: edgeSecret.secret.metadata.name,
          secretEnv: edgeSecret.keys,
          volumeMounts: edgeMounts,
        }),
        volumes: edgeVolumes,
        podAnnotations: { [checksumAnnotation]: edgeSecret.checksum },
      },
      inNamespace,
    );
    edgeAutoscaler(
      resourceName(workloadNames.edge),
      {
        name: workloadNames.edge,
        namespace: namespaceName,
        labels: edgeLabels.labels,
        deploymentName: edge.deployment.metadata.name,
        minReplicas: runtime.edgeReplicas,
        maxReplicas: runtime.edgeMaxReplicas ?? runtime.edgeReplicas * 4,
      },
      inNamespace,
    );
    runtimeServiceMonitor(
      workloadNames.edge,
      {
        resourcePrefix: name,
        namespace: namespaceName,
        labels: edgeLabels.labels,
        serviceSelector: edgeLabels.selector,
        monitoring,
      },
      inNamespace,
    );

    // Origin, home region only.
    const originLabels = roleLabels('origin');
    const hostnames: CdnHostnames = { edge: args.domain };
    if (region.role === 'home') {
      hostnames.api = `api.${args.domain}`;
      hostnames.dashboard = `dashboard.${args.domain}`;
      const originSecret = credentials('origin', {
        [envNames.databaseUrl]: postgresUrl(region.postgres),
        [envNames.redisUrl]: redisUrl(region.redis),
        [envNames.edgeToken]: edgeToken,
        // The data stores' server CAs (Cloud SQL, Memorystore), for the URLs' sslmode to verify.
        ...(region.postgres.caCertificate
          ? { [envNames.databaseCaCert]: pulumi.secret(region.postgres.caCertificate) }
          : {}),
        ...(region.redis.caCertificate
          ? { [envNames.redisCaCert]: pulumi.secret(region.redis.caCertificate) }
          : {}),
      });
      runtimeWorkload(
        workloadNames.origin,
        {
          resourcePrefix: name,
          role: 'origin',
          namespace: namespaceName,
          ...originLabels,
          replicas: runtime.originReplicas,
          container: runtimeContainer({
            ...common,
            role: 'origin',
            resources: runtime.originResources,
            settings: {},
            secretName: originSecret.secret.metadata.name,
            secretEnv: originSecret.keys,
            volumeMounts: [tmpMount],
          }),
          volumes: [tmpVolume],
          podAnnotations: { [checksumAnnotation]: originSecret.checksum },
        },
        inNamespace,
      );
      runtimeServiceMonitor(
        workloadNames.origin,
        {
          resourcePrefix: name,
          namespace: namespaceName,
          labels: originLabels.labels,
          serviceSelector: originLabels.selector,
          monitoring,
        },
        inNamespace,
      );
      this.homeOrigin = { url: `https://${hostnames.api}`, edgeToken };
    }
    this.hostnames = hostnames;
    this.edgeService = `${workloadNames.edge}.${namespaceName}`;

    if (args.loadBalancer) {
      const entry = (role: RuntimeRole) =>
        loadBalancerEntry(
          `${workloadNames[role]}-public`,
          resourceName(`${workloadNames[role]}-public`),
          {
            namespace: namespaceName,
            ...roleLabels(role),
            annotations: args.loadBalancer?.annotations ?? {},
            plainHttp: role === 'edge',
          },
          inNamespace,
        ).address;
      this.loadBalancers = {
        edge: entry('edge'),
        origin: region.role === 'home' ? entry('origin') : undefined,
      };
    } else {
      edgeplaneIngress(
        'edgeplane',
        {
          resourcePrefix: name,
          namespace: namespaceName,
          labels: cdnLabels,
          ingressClassName: cluster.ingressClassName,
          hostnames,
          edgeServiceName: workloadNames.edge,
          originServiceName: region.role === 'home' ? workloadNames.origin : undefined,
          tls: args.tls,
        },
        inNamespace,
      );
    }

    const policies = networkPolicies({
      edgeSelector: edgeLabels.selector,
      originSelector: region.role === 'home' ? originLabels.selector : undefined,
      dataStorePorts:
        region.role === 'home' ? [region.postgres.port, region.redis.port] : undefined,
      dataStoreCidrs: args.dataStoreCidrs,
      ingressControllerNamespace: args.ingressControllerNamespace ?? 'kube-system',
      originLoadBalanced: args.loadBalancer !== undefined,
      monitoringNamespace: monitoring.namespace,
      otlpPort: urlPort(monitoring.otlpEndpoint),
      privateTenantOrigins: args.privateTenantOrigins ?? false,
    });
    for (const policy of policies) {
      new k8s.networking.v1.NetworkPolicy(
        resourceName(policy.name),
        {
          metadata: { name: policy.name, namespace: namespaceName, labels: cdnLabels },
          spec: policy.spec,
        },
        inNamespace,
      );
    }

    this.registerOutputs({
      namespace: this.namespace,
      hostnames: this.hostnames,
      edgeService: this.edgeService,
      homeOrigin: this.homeOrigin,
      loadBalancers: this.loadBalancers,
    });
  }
}

function urlPort(url: string): number {
  const parsed = new URL(url);
  if (parsed.port) return Number(parsed.port);
  return parsed.protocol === 'https:' ? 443 : 80;
}
