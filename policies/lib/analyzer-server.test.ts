// The cloud policies under @pulumi/policy's own analyzer (the code `pulumi preview --policy-pack`
// runs, minus the gRPC socket): a real AnalyzeRequest protobuf in, diagnostics out. It shows that the
// engine hands a policy the `protect` option as args.opts.protect, its provider's inputs (object
// config JSON-encoded) as args.provider.props, and unknown values as the wire sentinel, and that the
// policies read them as they do under lib/evaluate.ts.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import * as analyzer from '@pulumi/pulumi/proto/analyzer_pb.js';
import { prodDeletionProtection } from '../protection/prod-deletion-protection.ts';
import { prodProtect } from '../protection/prod-protect.ts';
import { awsRequiredTags } from '../tags/aws-required-tags.ts';
import { edgeplaneTags } from '../tags/tag-fixtures.ts';
import { aws } from './cloud-types.ts';
import { unknownDuringPreview } from './resource-case.ts';

// Internal to @pulumi/policy (its typings export nothing from server.js); the pack's gRPC service
// calls this function for every resource.
const requireFromProject = createRequire(join(process.cwd(), 'package.json'));
type AnalyzeCall = (
  call: { request: analyzer.AnalyzeRequest },
  callback: (error: unknown, response?: analyzer.AnalyzeResponse) => void,
) => Promise<void>;
const server = requireFromProject('@pulumi/policy/server.js') as {
  makeAnalyzeRpcFun(
    pack: string,
    version: string,
    level: string,
    policies: ResourceValidationPolicy[],
  ): AnalyzeCall;
};
const { Struct } = requireFromProject('google-protobuf/google/protobuf/struct_pb.js') as {
  Struct: { fromJavaScript(value: Record<string, unknown>): unknown };
};

interface Request {
  type: string;
  props: Record<string, unknown>;
  protect: boolean;
  providerProps?: Record<string, unknown>;
}

async function analyze(policies: ResourceValidationPolicy[], request: Request) {
  const message = new analyzer.AnalyzeRequest();
  message.setType(request.type);
  message.setName('database');
  message.setUrn(`urn:pulumi:aws-prod::edgeplane::${request.type}::database`);
  message.setProperties(Struct.fromJavaScript(request.props) as never);
  const options = new analyzer.AnalyzerResourceOptions();
  options.setProtect(request.protect);
  message.setOptions(options);
  if (request.providerProps) {
    const provider = new analyzer.AnalyzerProviderResource();
    provider.setType('pulumi:providers:aws');
    provider.setName('aws-us-east-1');
    provider.setUrn('urn:pulumi:aws-prod::edgeplane::pulumi:providers:aws::aws-us-east-1');
    provider.setProperties(Struct.fromJavaScript(request.providerProps) as never);
    message.setProvider(provider);
  }
  const analyze = server.makeAnalyzeRpcFun('edgeplane', '0.1.0', 'advisory', policies);
  const response = await new Promise<analyzer.AnalyzeResponse>((resolve, reject) => {
    void analyze({ request: message }, (error, result) =>
      error || !result ? reject(error) : resolve(result),
    );
  });
  // The analyzer puts the policy's description before the violation's message.
  return response
    .getDiagnosticsList()
    .map((d) => `${d.getPolicyname()}: ${d.getMessage().split('\n').pop()}`);
}

// As the AWS SDK registers a provider: object-valued config JSON-encoded.
const providerProps = { region: 'us-east-1', defaultTags: JSON.stringify({ tags: edgeplaneTags }) };
const protectedRds = { deletionProtection: true, skipFinalSnapshot: false, storageEncrypted: true };

describe("the cloud policies under @pulumi/policy's analyzer", () => {
  it('see the protect option as args.opts.protect', async () => {
    const request = { type: aws.rdsInstance, props: protectedRds, providerProps };
    expect(await analyze([prodProtect], { ...request, protect: true })).toEqual([]);
    expect(await analyze([prodProtect], { ...request, protect: false })).toEqual([
      expect.stringMatching(
        /^prod-protect: aws:rds\/instance:Instance 'database' in prod is not protected/,
      ),
    ]);
  });

  it("see the provider's JSON-encoded defaultTags, for tags and for the environment", async () => {
    expect(
      await analyze([awsRequiredTags], {
        type: aws.rdsInstance,
        props: protectedRds,
        protect: true,
        providerProps,
      }),
    ).toEqual([]);
    expect(
      await analyze([awsRequiredTags], {
        type: aws.rdsInstance,
        props: protectedRds,
        protect: true,
      }),
    ).toEqual([expect.stringMatching(/^aws-required-tags: Missing tags edgeplane:stack/)]);
    // The environment (dev) comes from the provider alone: prod's rules stand down.
    const devProvider = {
      defaultTags: JSON.stringify({ tags: { ...edgeplaneTags, 'edgeplane:environment': 'dev' } }),
    };
    expect(
      await analyze([prodProtect, prodDeletionProtection], {
        type: aws.rdsInstance,
        props: {},
        protect: false,
        providerProps: devProvider,
      }),
    ).toEqual([]);
  });

  it('read values unknown during preview without failing or giving up', async () => {
    const props = {
      deletionProtection: unknownDuringPreview,
      skipFinalSnapshot: unknownDuringPreview,
      tags: unknownDuringPreview,
    };
    expect(
      await analyze([prodDeletionProtection, awsRequiredTags], {
        type: aws.rdsInstance,
        props,
        protect: true,
        providerProps,
      }),
    ).toEqual([]);
  });
});
