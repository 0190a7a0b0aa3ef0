// The pack as the Pulumi CLI runs it: `node index.ts` in policies/ serves @pulumi/policy's analyzer
// over gRPC on loopback; this test speaks to it as the engine does (GetAnalyzerInfo, Configure,
// Analyze, AnalyzeStack) and checks its verdicts against the offline evaluator's for the same input.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { allPolicies } from '../policies/all.ts';
import { evaluatePolicies, isStackPolicy, type PolicyViolation } from '../policies/lib/evaluate.ts';
import type { PolicyResourceInput } from '../policies/lib/resources.ts';
import { provider, resource } from '../policies/lib/testing.ts';

// gRPC and the analyzer protocol as @pulumi/pulumi (the engine's SDK) ships them.
const pulumiRequire = createRequire(require.resolve('@pulumi/pulumi/package.json'));
// biome-ignore lint/suspicious/noExplicitAny: generated gRPC stubs with no typings that fit a dynamic require.
type Untyped = any;
const grpc: Untyped = pulumiRequire('@grpc/grpc-js');
const analyzerGrpc: Untyped = pulumiRequire('./proto/analyzer_grpc_pb.js');
const analyzerPb: Untyped = pulumiRequire('./proto/analyzer_pb.js');
const structPb: Untyped = pulumiRequire('google-protobuf/google/protobuf/struct_pb.js');
const emptyPb: Untyped = pulumiRequire('google-protobuf/google/protobuf/empty_pb.js');

// AnalyzeStack runs the stack policies; the resource policies ran per resource (Analyze) before.
const stackPolicies = allPolicies.filter(isStackPolicy);
const levelNames: Record<number, string> = {
  0: 'advisory',
  1: 'mandatory',
  2: 'disabled',
  3: 'remediate',
};

let pack: ChildProcess | undefined;
let client: Untyped;

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method](request, (error: Error | null, response: T) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

function options(input: PolicyResourceInput) {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(input.opts?.protect ?? false);
  opts.setAdditionalsecretoutputsList(input.opts?.additionalSecretOutputs ?? []);
  if (input.parent) opts.setParent(input.parent);
  return opts;
}

function providerOf(input: PolicyResourceInput) {
  if (!input.provider) return undefined;
  const message = new analyzerPb.AnalyzerProviderResource();
  message.setType(input.provider.type);
  message.setName(input.provider.name);
  message.setUrn(input.provider.urn);
  message.setProperties(structPb.Struct.fromJavaScript(input.provider.props));
  return message;
}

interface Diagnostic {
  policyName: string;
  enforcementLevel: string;
  message: string;
  urn: string;
}

function diagnostics(response: Untyped): Diagnostic[] {
  return response.getDiagnosticsList().map((d: Untyped) => ({
    policyName: d.getPolicyname(),
    enforcementLevel: levelNames[d.getEnforcementlevel()] ?? 'unknown',
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}

/** Sets the fields AnalyzeRequest and AnalyzeStack's AnalyzerResource share; returns the message. */
function withResource(message: Untyped, input: PolicyResourceInput): Untyped {
  message.setType(input.type);
  message.setName(input.name);
  message.setUrn(input.urn);
  message.setProperties(structPb.Struct.fromJavaScript(input.props));
  message.setOptions(options(input));
  const providerMessage = providerOf(input);
  if (providerMessage) message.setProvider(providerMessage);
  return message;
}

async function analyze(input: PolicyResourceInput): Promise<Diagnostic[]> {
  const request = withResource(new analyzerPb.AnalyzeRequest(), input);
  return diagnostics(await call('analyze', request));
}

async function analyzeStack(inputs: PolicyResourceInput[]): Promise<Diagnostic[]> {
  const request = new analyzerPb.AnalyzeStackRequest();
  request.setResourcesList(
    inputs.map((input) => {
      const message = withResource(new analyzerPb.AnalyzerResource(), input);
      if (input.parent) message.setParent(input.parent);
      message.setDependenciesList(input.dependencies ?? []);
      return message;
    }),
  );
  return diagnostics(await call('analyzeStack', request));
}

const comparable = (violations: PolicyViolation[]) =>
  violations.map((v) => `${v.policyName} ${v.enforcementLevel} ${v.message}`).sort();
// The server prefixes each message with the policy's description and a newline, as the CLI shows it.
const comparableDiagnostics = (found: Diagnostic[]) =>
  found
    .map((d) => {
      const description = allPolicies.find((p) => p.name === d.policyName)?.description ?? '';
      const message = d.message.startsWith(`${description}\n`)
        ? d.message.slice(description.length + 1)
        : d.message;
      return `${d.policyName} ${d.enforcementLevel} ${message}`;
    })
    .sort();

beforeAll(async () => {
  pack = spawn(process.execPath, ['index.ts'], {
    cwd: join(process.cwd(), 'policies'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  pack.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    pack?.stdout?.once('data', (chunk) => resolve(Number(String(chunk).trim())));
    pack?.once('exit', (code) => reject(new Error(`the pack exited with ${code}: ${stderr}`)));
  });
  client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  if (pack?.pid && pack.exitCode === null) process.kill(pack.pid);
});

describe('the policy pack served as the Pulumi CLI runs it', () => {
  it('announces every policy of policies/all.ts with its default level', async () => {
    const info: Untyped = await call('getAnalyzerInfo', new emptyPb.Empty());
    expect(info.getName()).toBe('edgeplane');
    const served = info
      .getPoliciesList()
      .map((p: Untyped) => [p.getName(), levelNames[p.getEnforcementlevel()]])
      .sort();
    expect(served).toEqual(allPolicies.map((p) => [p.name, p.enforcementLevel]).sort());
  });

  it('gives the same resource verdicts as the offline evaluator', async () => {
    const subjects = [
      resource('kubernetes:core/v1:Service', {
        metadata: {
          name: 'web',
          namespace: 'edgeplane',
          labels: { 'app.kubernetes.io/name': 'web' },
        },
        spec: { type: 'LoadBalancer' },
      }),
      resource('kubernetes:apps/v1:Deployment', {
        metadata: { name: 'app', namespace: 'edgeplane' },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  image: 'x',
                  env: [{ name: 'REDIS_URL', value: 'redis://cache:6379' }],
                },
              ],
            },
          },
        },
      }),
      resource('kubernetes:core/v1:Secret', { stringData: { a: 'b' } }),
    ];
    for (const subject of subjects) {
      const served = await analyze(subject);
      expect(served.length).toBeGreaterThan(0);
      expect(comparableDiagnostics(served)).toEqual(
        comparable(await evaluatePolicies(allPolicies, [subject])),
      );
    }
  });

  it('gives the same stack verdicts, and follows the pack config it is configured with', async () => {
    const resources = [
      resource(
        'random:index/randomPassword:RandomPassword',
        { length: 24 },
        {
          name: 'pw',
          provider: provider('random', 'default_4_21_2'),
        },
      ),
      resource('kubernetes:core/v1:Namespace', { metadata: { name: 'open' } }),
    ];
    const served = await analyzeStack(resources);
    expect(served.map((d) => d.policyName).sort()).toEqual([
      'k8s-namespace-network-policy',
      'no-default-provider',
    ]);
    expect(comparableDiagnostics(served)).toEqual(
      comparable(await evaluatePolicies(stackPolicies, resources)),
    );

    // As `--policy-pack-config` does: no-default-provider exempts random, the namespace policy is advisory.
    const configure = new analyzerPb.ConfigureAnalyzerRequest();
    const exempt = new analyzerPb.PolicyConfig();
    exempt.setEnforcementlevel(1);
    exempt.setProperties(structPb.Struct.fromJavaScript({ exemptPackages: ['random'] }));
    const advisory = new analyzerPb.PolicyConfig();
    advisory.setEnforcementlevel(0);
    advisory.setProperties(structPb.Struct.fromJavaScript({}));
    configure.getPolicyconfigMap().set('no-default-provider', exempt);
    configure.getPolicyconfigMap().set('k8s-namespace-network-policy', advisory);
    await call('configure', configure);
    const configured = await analyzeStack(resources);
    expect(configured.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ['k8s-namespace-network-policy', 'advisory'],
    ]);
    const offline = await evaluatePolicies(stackPolicies, resources, {
      config: {
        'no-default-provider': { enforcementLevel: 'mandatory', exemptPackages: ['random'] },
        'k8s-namespace-network-policy': 'advisory',
      },
    });
    expect(comparableDiagnostics(configured)).toEqual(comparable(offline));
  });
});
