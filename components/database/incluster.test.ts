// In-cluster Postgres under the recording mocks: the StatefulSet is hardened, persistent, probed and
// bounded; the password is generated and secret all the way into the Secret; only the origin may
// connect; every object is valid Kubernetes on the explicit provider.
import * as pulumi from '@pulumi/pulumi';
import {
  kubernetesObjects,
  validateKubernetesObjects,
} from '../../test/harness/kubernetes/index.ts';
import { type RecordedResource, secretLeaks } from '../../test/harness/pulumi/index.ts';
import {
  type Json,
  ofKind,
  onDefaultProvider,
  outputValue,
  recordProgram,
  testCluster,
} from '../cluster/testing.ts';
import { namespaces } from '../namespaces.ts';
import { InClusterPostgres, type InClusterPostgresArgs } from './incluster.ts';
import { postgresUrl } from './types.ts';

const password = 'mock-password-db-password';

async function plan(changes: Partial<InClusterPostgresArgs> = {}) {
  return recordProgram(
    () =>
      new InClusterPostgres('db', {
        cluster: testCluster(),
        namespace: namespaces.data,
        environment: 'dev',
        version: '17',
        size: 'small',
        storageGb: 20,
        ...changes,
      }),
  );
}

describe('InClusterPostgres', () => {
  let resources: RecordedResource[];
  let db: InClusterPostgres;
  let statefulSet: Json;

  beforeAll(async () => {
    const recorded = await plan();
    resources = recorded.resources;
    db = recorded.result;
    statefulSet = ofKind(resources, 'StatefulSet').inputs;
  });

  it('registers the password, Secret, Service, StatefulSet, budget and policy under the component', () => {
    expect(resources.map((resource) => resource.type).sort()).toEqual([
      'edgeplane:database:InClusterPostgres',
      'kubernetes:apps/v1:StatefulSet',
      'kubernetes:core/v1:Secret',
      'kubernetes:core/v1:Service',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'kubernetes:policy/v1:PodDisruptionBudget',
      'pulumi:providers:kubernetes', // the test cluster's
      'random:index/randomPassword:RandomPassword',
    ]);
    const component = resources.find((resource) => !resource.custom);
    for (const resource of resources.filter((r) => r.custom && !r.type.startsWith('pulumi:'))) {
      expect({ name: resource.name, parent: resource.parent }).toEqual({
        name: resource.name,
        parent: component?.urn,
      });
    }
    expect(onDefaultProvider(resources)).toEqual([]);
  });

  it('keeps the generated password secret from the generator to the Secret and the endpoint', async () => {
    const secret = ofKind(resources, 'Secret');
    expect(secret.inputs.stringData).toEqual({ 'postgres-password': password });
    expect(secret.secretInputPaths).toContain('stringData');
    expect(secretLeaks({ resources, outputs: {}, secretOutputs: [] }, [password])).toEqual([]);
    expect(await pulumi.isSecret(db.password)).toBe(true);
    const url = postgresUrl(db);
    expect(await pulumi.isSecret(url)).toBe(true);
    expect(await outputValue(url)).toBe(
      `postgres://edgeplane:${password}@postgres.edgeplane-data.svc.cluster.local:5432/edgeplane?sslmode=disable`,
    );
    const env = statefulSet.spec.template.spec.containers[0].env as Json[];
    expect(env.find((entry) => entry.name === 'POSTGRES_PASSWORD')).toEqual({
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'postgres-password' } },
    });
  });

  it('runs the pinned image non-root, read-only, without privileges or a service account token', () => {
    const pod = statefulSet.spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.image).toBe('postgres:17.6-bookworm');
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // A read-only root needs writable places for the socket and temporary files.
    expect(container.volumeMounts.map((mount: Json) => mount.mountPath).sort()).toEqual([
      '/tmp',
      '/var/lib/postgresql',
      '/var/run/postgresql',
    ]);
  });

  it('keeps data on a volume claim of the cluster storage class, kept when the set goes', () => {
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'data' }),
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'local-path',
          resources: { requests: { storage: '20Gi' } },
        },
      }),
    ]);
    expect(statefulSet.spec.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
    const env = statefulSet.spec.template.spec.containers[0].env as Json[];
    expect(env.find((entry) => entry.name === 'PGDATA')?.value).toBe(
      '/var/lib/postgresql/17/docker',
    );
  });

  it('probes with pg_isready and bounds CPU and memory by size', () => {
    const [container] = statefulSet.spec.template.spec.containers;
    const isReady = [
      'pg_isready',
      '-h',
      '127.0.0.1',
      '-p',
      '5432',
      '-U',
      'edgeplane',
      '-d',
      'edgeplane',
    ];
    expect(container.startupProbe.exec.command).toEqual(isReady);
    expect(container.readinessProbe.exec.command).toEqual(isReady);
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'postgres' });
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(container.args).toEqual([
      'postgres',
      '-c',
      'shared_buffers=128MB',
      '-c',
      'max_connections=100',
    ]);
  });

  it('lets only the origin pods of the cdn namespace in, on 5432, and nothing out', () => {
    const policy = ofKind(resources, 'NetworkPolicy').inputs as Json;
    expect(policy.metadata.namespace).toBe('edgeplane-data');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: statefulSet.spec.selector.matchLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edgeplane' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'origin' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
      egress: [],
    });
    expect(statefulSet.spec.template.metadata.labels).toMatchObject(
      statefulSet.spec.selector.matchLabels,
    );
  });

  it('lets a dev drain evict the instance, and labels everything', () => {
    expect((ofKind(resources, 'PodDisruptionBudget').inputs as Json).spec).toMatchObject({
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    for (const object of kubernetesObjects(resources)) {
      expect(object.metadata).toMatchObject({
        labels: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/part-of': 'edgeplane' },
      });
    }
  });

  it('hands out the endpoint of the headless service', async () => {
    expect(await outputValue(db.host)).toBe('postgres.edgeplane-data.svc.cluster.local');
    expect(await outputValue(db.port)).toBe(5432);
    expect(await outputValue(db.database)).toBe('edgeplane');
    expect(await outputValue(db.user)).toBe('edgeplane');
    expect(db.sslMode).toBe('disable');
    expect((ofKind(resources, 'Service').inputs as Json).spec.clusterIP).toBe('None');
  });

  it('renders objects valid against the Kubernetes schema', () => {
    const results = validateKubernetesObjects(kubernetesObjects(resources));
    expect(results).toHaveLength(5);
    expect(results.filter((result) => result.status !== 'valid')).toEqual([]);
  });
});

describe('InClusterPostgres options', () => {
  it('protects data in prod: protected resources and a budget that refuses drains', async () => {
    const { resources } = await plan({
      protect: true,
      size: 'large',
      version: '18',
      storageGb: 100,
    });
    const byKind = (kind: string) => ofKind(resources, kind);
    expect(byKind('StatefulSet').protect).toBe(true);
    expect(byKind('Secret').protect).toBe(true);
    expect((byKind('PodDisruptionBudget').inputs as Json).spec.maxUnavailable).toBe(0);
    const container = (byKind('StatefulSet').inputs as Json).spec.template.spec.containers[0];
    expect(container.image).toBe('postgres:18.0-bookworm');
    expect(container.resources.limits).toEqual({ cpu: '4', memory: '4Gi' });
  });

  it('refuses a version it has no image for, before registering anything', async () => {
    await expect(plan({ version: '14' })).rejects.toThrow('db: no Postgres image for version 14');
  });
});
