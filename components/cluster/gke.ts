// A GKE Standard cluster in one region: regional control plane, private nodes in the stack's VPC
// (VPC-native, Cloud NAT for egress), Workload Identity, a release channel, shielded nodes,
// Dataplane V2 enforcing NetworkPolicy, and master authorized networks on the public endpoint. The
// default node pool is removed; edgeplane's autoscaling pool runs as a least-privilege service
// account. The result is an explicit Kubernetes provider built from the endpoint and CA.
import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { GcpSubnet } from '../network/gcp-network.ts';
import { gkeKubeconfig } from './gke-kubeconfig.ts';
import type { ClusterOutputs } from './types.ts';

export interface GkeClusterArgs {
  project: string;
  /** The stack's region name, e.g. europe-west1: a regional cluster there. */
  region: string;
  /** The region's explicit GCP provider. */
  gcpProvider: gcp.Provider;
  network: pulumi.Input<string>;
  subnet: GcpSubnet;
  /** Kubernetes minor version, e.g. 1.34; upgrades within it follow the release channel. */
  version: string;
  releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  /** CIDRs allowed to reach the control plane's public endpoint (besides the VPC itself). */
  masterAuthorizedNetworks: { name: string; cidr: string }[];
  /** The control plane has no public endpoint; `endpoint` (and the kubeconfig) is the private one. */
  privateEndpoint?: boolean;
  nodeSize: string;
  /** Nodes across the region's zones: the autoscaler stays within these totals. */
  minNodes: number;
  maxNodes: number;
  environment: 'dev' | 'staging' | 'prod';
}

/** GKE's default StorageClass (PD balanced, CSI driver). */
export const gkeStorageClassName = 'standard-rwo';

/** What the node service account may do: write logs and metrics, pull images. Nothing else. */
export const nodeServiceAccountRoles = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/autoscaling.metricsWriter',
  'roles/artifactregistry.reader',
] as const;

export class GkeCluster extends pulumi.ComponentResource implements ClusterOutputs {
  public readonly name: pulumi.Output<string>;
  public readonly region: string;
  public readonly provider: k8s.Provider;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly storageClassName = gkeStorageClassName;
  /** Set by the stack: the ingress controller it installs (gke-ingress.ts). */
  public readonly ingressClassName: string;
  public readonly cluster: gcp.container.Cluster;
  public readonly nodePool: gcp.container.NodePool;
  /** `<project>.svc.id.goog`: Kubernetes ServiceAccounts act as Google ones through it. */
  public readonly workloadPool: string;
  /** The Cloud KMS key that encrypts the cluster's Secrets in etcd. */
  public readonly secretsKeyId: pulumi.Output<string>;

  constructor(
    name: string,
    args: GkeClusterArgs & { ingressClassName: string },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('edgeplane:cluster:Gke', name, {}, opts);
    const gcpOpts = { parent: this, provider: args.gcpProvider };
    const prod = args.environment === 'prod';
    this.region = args.region;
    this.ingressClassName = args.ingressClassName;
    this.workloadPool = `${args.project}.svc.id.goog`;
    const labels = { 'part-of': 'edgeplane', environment: args.environment };

    const nodeAccount = new gcp.serviceaccount.Account(
      `${name}-nodes`,
      {
        project: args.project,
        accountId: nodeAccountId(args.environment, args.region),
        displayName: `edgeplane GKE nodes in ${args.region}`,
      },
      gcpOpts,
    );
    const roleGrants = nodeServiceAccountRoles.map(
      (role) =>
        new gcp.projects.IAMMember(
          `${name}-nodes-${role.split('/')[1]}`,
          {
            project: args.project,
            role,
            member: pulumi.interpolate`serviceAccount:${nodeAccount.email}`,
          },
          gcpOpts,
        ),
    );

    const secretsKey = this.secretsEncryptionKey(name, args, gcpOpts);

    this.cluster = new gcp.container.Cluster(
      name,
      {
        project: args.project,
        location: args.region,
        description: `edgeplane ${args.environment} in ${args.region}`,
        network: args.network,
        subnetwork: args.subnet.subnetwork.id,
        networkingMode: 'VPC_NATIVE',
        ipAllocationPolicy: {
          clusterSecondaryRangeName: args.subnet.podsRangeName,
          servicesSecondaryRangeName: args.subnet.servicesRangeName,
        },
        privateClusterConfig: {
          enablePrivateNodes: true,
          // Unless asked otherwise the public endpoint stays, behind the authorized networks, so
          // Pulumi can reach it from outside the VPC.
          enablePrivateEndpoint: args.privateEndpoint ?? false,
          masterIpv4CidrBlock: args.subnet.ranges.controlPlane,
          masterGlobalAccessConfig: { enabled: true },
        },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: args.masterAuthorizedNetworks.map((network) => ({
            cidrBlock: network.cidr,
            displayName: network.name,
          })),
          gcpPublicCidrsAccessEnabled: false,
        },
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        workloadIdentityConfig: { workloadPool: this.workloadPool },
        releaseChannel: { channel: args.releaseChannel },
        minMasterVersion: args.version,
        // Dataplane V2 (eBPF) enforces NetworkPolicy: no separate Calico add-on.
        datapathProvider: 'ADVANCED_DATAPATH',
        enableShieldedNodes: true,
        enableLegacyAbac: false,
        // Kubernetes Secrets are encrypted in etcd with the region's Cloud KMS key (envelope).
        databaseEncryption: { state: 'ENCRYPTED', keyName: secretsKey.key.id },
        // The node pool below replaces the default one, which GKE insists on creating first.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        // The short-lived default pool runs as the node account too: projects that disable the
        // Compute Engine default service account could not create the cluster otherwise.
        nodeConfig: {
          serviceAccount: nodeAccount.email,
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          workloadMetadataConfig: { mode: 'GKE_METADATA' },
        },
        addonsConfig: {
          httpLoadBalancing: { disabled: false },
          horizontalPodAutoscaling: { disabled: false },
          gcePersistentDiskCsiDriverConfig: { enabled: true },
          dnsCacheConfig: { enabled: false },
        },
        loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER', 'WORKLOADS'] },
        monitoringConfig: {
          enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER', 'SCHEDULER', 'CONTROLLER_MANAGER'],
        },
        maintenancePolicy: {
          recurringWindow: {
            startTime: '2025-01-04T02:00:00Z',
            endTime: '2025-01-04T08:00:00Z',
            recurrence: 'FREQ=WEEKLY;BYDAY=SA,SU',
          },
        },
        securityPostureConfig: { mode: 'BASIC', vulnerabilityMode: 'VULNERABILITY_BASIC' },
        resourceLabels: labels,
        deletionProtection: prod,
      },
      // The removed default pool's settings would otherwise show as drift on every update.
      {
        ...gcpOpts,
        dependsOn: [...roleGrants, secretsKey.grant],
        ignoreChanges: ['nodeConfig', 'initialNodeCount'],
      },
    );

    this.nodePool = new gcp.container.NodePool(
      `${name}-edgeplane`,
      {
        project: args.project,
        location: args.region,
        cluster: this.cluster.name,
        // Node pool names stop at 40 characters: an auto-name after a long region would not fit.
        namePrefix: 'edgeplane-',
        autoscaling: {
          totalMinNodeCount: args.minNodes,
          totalMaxNodeCount: args.maxNodes,
          locationPolicy: 'BALANCED',
        },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          machineType: args.nodeSize,
          diskType: 'pd-balanced',
          diskSizeGb: 100,
          imageType: 'COS_CONTAINERD',
          serviceAccount: nodeAccount.email,
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          // Pods see the GKE metadata server (Workload Identity), never the node's credentials.
          workloadMetadataConfig: { mode: 'GKE_METADATA' },
          metadata: { 'disable-legacy-endpoints': 'true' },
          labels: { 'edgeplane.dev/pool': 'edgeplane' },
          resourceLabels: labels,
        },
      },
      { ...gcpOpts, dependsOn: roleGrants, ignoreChanges: ['initialNodeCount'] },
    );

    this.name = this.cluster.name;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth])
        .apply(([clusterName, endpoint, masterAuth]) =>
          gkeKubeconfig({
            name: `gke_${args.project}_${args.region}_${clusterName}`,
            endpoint,
            clusterCaCertificate: masterAuth.clusterCaCertificate ?? '',
          }),
        ),
    );
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      // Workloads wait for nodes to exist.
      { parent: this, dependsOn: [this.nodePool] },
    );

    this.secretsKeyId = secretsKey.key.id;
    this.registerOutputs({
      secretsKeyId: this.secretsKeyId,
      name: this.name,
      region: this.region,
      kubeconfig: this.kubeconfig,
      storageClassName: this.storageClassName,
      ingressClassName: this.ingressClassName,
      workloadPool: this.workloadPool,
    });
  }

  /**
   * A key ring and a rotating key in the cluster's region, usable only by GKE's service agent: the
   * envelope key of the cluster's Secrets. Key rings cannot be deleted; the auto-named ring is left
   * behind by `pulumi destroy` and a new one is made next time.
   */
  private secretsEncryptionKey(
    name: string,
    args: GkeClusterArgs,
    gcpOpts: pulumi.CustomResourceOptions,
  ): { key: gcp.kms.CryptoKey; grant: gcp.kms.CryptoKeyIAMMember } {
    const ring = new gcp.kms.KeyRing(
      `${name}-secrets`,
      { project: args.project, location: args.region },
      gcpOpts,
    );
    const key = new gcp.kms.CryptoKey(
      `${name}-secrets`,
      {
        keyRing: ring.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: `${90 * 24 * 3600}s`,
        labels: { 'part-of': 'edgeplane', environment: args.environment },
      },
      // Destroying the key would leave every Secret of the cluster unreadable.
      { ...gcpOpts, protect: args.environment === 'prod' },
    );
    const projectNumber = gcp.organizations
      .getProjectOutput({ projectId: args.project }, gcpOpts)
      .apply((project) => project.number);
    const grant = new gcp.kms.CryptoKeyIAMMember(
      `${name}-secrets-gke`,
      {
        cryptoKeyId: key.id,
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: pulumi.interpolate`serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
      },
      gcpOpts,
    );
    return { key, grant };
  }
}

/**
 * The node service account's ID (6-30 characters): environment and region keep a project's stacks and
 * regions apart, e.g. gke-staging-euro-west1 or gke-prod-nort-northeast1.
 */
export function nodeAccountId(environment: string, region: string): string {
  const [area = '', ...rest] = region.split('-');
  return `gke-${environment}-${[area.slice(0, 4), ...rest].join('-')}`;
}
