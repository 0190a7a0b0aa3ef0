// The top component of every stack: everything a stack creates is parented to it, so
// `pulumi stack --show-urns` reads as one tree per deployment.
import * as pulumi from '@pulumi/pulumi';
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
    super(`edgeplane:stack:${capitalize(args.config.cloud)}`, name, {}, opts);
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
