// In prod, the cloud itself refuses to delete a database or cluster, whatever Pulumi, a console
// click or a script asks: deletion protection on RDS, Aurora, Cloud SQL (both the provider's flag
// and the API's), Memorystore and GKE, and a final snapshot when an RDS instance goes. Mandatory:
// a deleted production database is an outage plus data loss; turning the flag off first is a
// deliberate, reviewable change.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateTypes } from '../lib/by-type.ts';
import { aws, gcp } from '../lib/cloud-types.ts';
import { type Environment, environmentConfigProperty } from '../lib/environment.ts';
import { environmentsConfigProperty, listedEnvironment } from '../lib/listed-environments.ts';
import { read, unknown } from '../lib/props.ts';

export const defaultProtectedEnvironments: Environment[] = ['prod'];

/** Reports unless the value is true (or unknown); `providerDefault` is what an unset value means. */
function requireTrue(
  value: unknown,
  providerDefault: boolean,
  message: string,
  report: (message: string) => void,
): void {
  if (value === unknown) return;
  if (value === true || (value === undefined && providerDefault)) return;
  report(message);
}

export const prodDeletionProtection: ResourceValidationPolicy = {
  name: 'prod-deletion-protection',
  description:
    "In prod (config `environments`), databases, caches and clusters have the cloud's deletion protection on: RDS and Aurora deletionProtection (and a final snapshot), Cloud SQL deletionProtection and settings.deletionProtectionEnabled, Memorystore deletionProtection / deletionProtectionEnabled, GKE deletionProtection. Mandatory: deleting them loses data or takes the CDN down, and must take a deliberate change first.",
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      environment: environmentConfigProperty,
      environments: environmentsConfigProperty(
        defaultProtectedEnvironments,
        'Environments whose stores and clusters must be protected from deletion.',
      ),
    },
  },
  validateResource: validateTypes({
    [aws.rdsInstance]: (props, report, args) => {
      const environment = listedEnvironment(args, defaultProtectedEnvironments);
      if (!environment) return;
      requireTrue(
        read(props, 'deletionProtection'),
        false,
        `RDS instance in ${environment} can be deleted: set deletionProtection: true.`,
        report,
      );
      if (read(props, 'skipFinalSnapshot') === true)
        report(
          `RDS instance in ${environment} would be deleted without a final snapshot: set skipFinalSnapshot: false and a finalSnapshotIdentifier.`,
        );
    },
    [aws.rdsCluster]: (props, report, args) => {
      const environment = listedEnvironment(args, defaultProtectedEnvironments);
      if (!environment) return;
      requireTrue(
        read(props, 'deletionProtection'),
        false,
        `Aurora cluster in ${environment} can be deleted: set deletionProtection: true.`,
        report,
      );
      if (read(props, 'skipFinalSnapshot') === true)
        report(
          `Aurora cluster in ${environment} would be deleted without a final snapshot: set skipFinalSnapshot: false and a finalSnapshotIdentifier.`,
        );
    },
    [gcp.sqlInstance]: (props, report, args) => {
      const environment = listedEnvironment(args, defaultProtectedEnvironments);
      if (!environment) return;
      // deletionProtection guards against Pulumi (the provider's default is true);
      // settings.deletionProtectionEnabled against everyone else (the API's default is false).
      requireTrue(
        read(props, 'deletionProtection'),
        true,
        `Cloud SQL in ${environment} can be deleted by Pulumi: set deletionProtection: true.`,
        report,
      );
      requireTrue(
        read(props, 'settings.deletionProtectionEnabled'),
        false,
        `Cloud SQL in ${environment} can be deleted in the console or API: set settings.deletionProtectionEnabled: true.`,
        report,
      );
    },
    [gcp.redisInstance]: (props, report, args) => {
      const environment = listedEnvironment(args, defaultProtectedEnvironments);
      if (!environment) return;
      requireTrue(
        read(props, 'deletionProtection'),
        false,
        `Memorystore in ${environment} can be deleted: set deletionProtection: true.`,
        report,
      );
    },
    [gcp.redisCluster]: (props, report, args) => {
      const environment = listedEnvironment(args, defaultProtectedEnvironments);
      if (!environment) return;
      requireTrue(
        read(props, 'deletionProtectionEnabled'),
        false,
        `Memorystore cluster in ${environment} can be deleted: set deletionProtectionEnabled: true.`,
        report,
      );
    },
    [gcp.gkeCluster]: (props, report, args) => {
      const environment = listedEnvironment(args, defaultProtectedEnvironments);
      if (!environment) return;
      requireTrue(
        read(props, 'deletionProtection'),
        true,
        `GKE cluster in ${environment} can be deleted by Pulumi: set deletionProtection: true.`,
        report,
      );
    },
  }),
};
