// The top component of every stack: everything a stack creates is parented to it, so
// `pulumi stack --show-urns` reads as one tree per deployment. It also hands its descendants
// explicit providers for the packages that need no settings (random, and command where k3s is
// installed over SSH), so nothing runs on a default provider (policy no-default-provider).
import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { Cloud, Environment, StackConfig } from './config.ts';

export interface EdgeplaneStackArgs {
  config: StackConfig;
}

/** What `pulumi stack output` shows for every stack, plus what each composition adds. */
export interface StackOutputs {
  cloud: Cloud;
  environment: Environment;
  domain: string;
  homeRegion: string;
  regions: string[];
  [extra: string]: unknown;
}

export class EdgeplaneStack extends pulumi.ComponentResource {
  public readonly cloud: Cloud;
  public readonly environment: Environment;
  public readonly domain: string;
  public readonly homeRegion: string;
  public readonly regions: string[];

  constructor(name: string, args: EdgeplaneStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Created before the component (they cannot be its children), inherited by every descendant.
    const providers: pulumi.ProviderResource[] = [new random.Provider(`${name}-random`, {})];
    if (args.config.k3s?.mode === 'install') {
      providers.push(new command.Provider(`${name}-command`, {}));
    }
    super(`edgeplane:stack:${capitalize(args.config.cloud)}`, name, {}, { ...opts, providers });
    const { config } = args;
    this.cloud = config.cloud;
    this.environment = config.environment;
    this.domain = config.domain;
    this.homeRegion = config.homeRegion;
    this.regions = config.regions;
    this.registerOutputs(this.outputs());
  }

  outputs(): StackOutputs {
    return {
      cloud: this.cloud,
      environment: this.environment,
      domain: this.domain,
      homeRegion: this.homeRegion,
      regions: this.regions,
    };
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
