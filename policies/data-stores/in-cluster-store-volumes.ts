// What "encrypted and backed up" can honestly mean for a data store running in the cluster, as far
// as a policy can see from the objects: a StatefulSet's volumes come from a named StorageClass, its
// claims outlive it, the class encrypts (EBS), and outside dev the class is not a node-local path.
// No backup exists by this alone: retained claims survive a `pulumi destroy` or a deleted StatefulSet,
// not a lost disk; real backups need a managed store or a backup tool (Velero, pgBackRest).
// Advisory: edgeplane runs in-cluster stores for dev and small installs, where these are trade-offs
// the operator may accept.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { kubernetes } from '../lib/cloud-types.ts';
import { type Environment, environmentConfigProperty, environmentOf } from '../lib/environment.ts';
import { read, readArray, unknown } from '../lib/props.ts';

/** Provisioners that keep volumes as directories on one node's disk: no encryption, no replication. */
export const defaultNodeLocalStorageClasses = [
  'local-path',
  'hostpath',
  'microk8s-hostpath',
  'openebs-hostpath',
];
const ebsProvisioners = ['ebs.csi.aws.com', 'kubernetes.io/aws-ebs'];

interface VolumeSettings {
  environment?: Environment;
  nodeLocalStorageClasses?: string[];
}

/** A claim's (or claim template's) spec names a class, and outside dev not a node-local one. */
function checkClaim(
  name: string,
  spec: unknown,
  environment: Environment,
  nodeLocal: readonly string[],
  report: (message: string) => void,
): void {
  const storageClass = read(spec, 'storageClassName');
  if (storageClass === unknown) return;
  if (typeof storageClass !== 'string' || storageClass === '')
    report(
      `${name} names no storageClassName: the cluster's default class decides how the data is stored; name an encrypted class (e.g. gp3 with encrypted: 'true').`,
    );
  else if (environment !== 'dev' && nodeLocal.includes(storageClass))
    report(
      `${name} uses '${storageClass}' in ${environment}: data sits unencrypted on one node's disk and is lost with it; use a replicated, encrypted class or a managed store.`,
    );
}

function settingsOf(args: Parameters<typeof environmentOf>[0]) {
  const settings = args.getConfig<VolumeSettings>();
  return {
    environment: environmentOf(args) ?? 'prod',
    nodeLocal: settings.nodeLocalStorageClasses ?? defaultNodeLocalStorageClasses,
  };
}

const nameOf = (kind: string, props: unknown) => {
  const name = read(props, 'metadata.name');
  return `${kind} '${typeof name === 'string' ? name : '(unnamed)'}'`;
};

export const inClusterStoreVolumes: ResourceValidationPolicy = {
  name: 'in-cluster-store-volumes',
  description:
    "In-cluster data stores keep their data on durable, encrypted volumes: every StatefulSet volumeClaimTemplate and PersistentVolumeClaim names a storageClassName, claims are retained when the StatefulSet is deleted, EBS StorageClasses set encrypted: 'true', and outside dev no claim uses a node-local class (local-path, hostpath). This is not a backup: use a managed database or a backup tool for that. Advisory: in-cluster stores are for dev and small installs.",
  enforcementLevel: 'advisory',
  configSchema: {
    properties: {
      environment: environmentConfigProperty,
      nodeLocalStorageClasses: {
        type: 'array',
        items: { type: 'string' },
        default: defaultNodeLocalStorageClasses,
        description:
          'StorageClass names that keep data on one node, unencrypted (flagged outside dev).',
      },
    },
  },
  validateResource: validateTypes({
    [kubernetes.statefulSet]: (props, report, args) => {
      const templates = readArray(props, 'spec.volumeClaimTemplates');
      if (templates === unknown || templates === undefined || templates.length === 0) return;
      const { environment, nodeLocal } = settingsOf(args);
      for (const template of templates) {
        const name = nameOf('Volume claim template', template);
        checkClaim(name, read(template, 'spec'), environment, nodeLocal, report);
      }
      if (read(props, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted') === 'Delete')
        report(
          "Deleting this StatefulSet deletes its volumes: set spec.persistentVolumeClaimRetentionPolicy.whenDeleted: 'Retain'.",
        );
    },
    [kubernetes.persistentVolumeClaim]: (props, report, args) => {
      const { environment, nodeLocal } = settingsOf(args);
      checkClaim(
        nameOf('Volume claim', props),
        read(props, 'spec'),
        environment,
        nodeLocal,
        report,
      );
    },
    [kubernetes.storageClass]: (props, report) => {
      const provisioner = read(props, 'provisioner');
      if (typeof provisioner !== 'string' || !ebsProvisioners.includes(provisioner)) return;
      const encrypted = read(props, 'parameters.encrypted');
      if (encrypted !== 'true' && encrypted !== unknown)
        report(
          `EBS volumes of this StorageClass are not encrypted: set parameters.encrypted: 'true'.`,
        );
    },
  }),
};
