// Pulumi mocks that record every registered resource: type, name, inputs (with the paths of the
// ones that are secret), parent and provider. The SDK's mock arguments carry no parent, so the
// recorder also wraps the mock monitor's registerResource, which sees the whole request.
import * as pulumi from '@pulumi/pulumi';
import type {
  MockCallArgs,
  MockResourceArgs,
  MockResourceResult,
  Mocks,
} from '@pulumi/pulumi/runtime/index.js';
import { callResults, extraStateByType } from './mock-state.ts';

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** false for component resources. */
  custom: boolean;
  /** URN of the parent, if any. */
  parent?: string;
  /** Provider reference (`<urn>::<id>`) of an explicit provider; undefined means the default provider. */
  provider?: string;
  protect: boolean;
  /**
   * URNs this resource depends on: explicit dependsOn plus resources whose outputs feed its inputs.
   * The recorder always sets it; optional so that hand-built records in tests may leave it out.
   */
  dependencies?: string[];
  /** Output names the resource asks the engine to keep secret (e.g. a Kubernetes Secret's data). */
  additionalSecretOutputs?: string[];
  /** Properties whose changes the resource ignores (`ignoreChanges`). */
  ignoreChanges?: string[];
  /** Inputs with secrets unwrapped to plain values. */
  inputs: Record<string, unknown>;
  /** Dotted paths of inputs that were secret, e.g. `stringData.password`. */
  secretInputPaths: string[];
}

// The SDK's wire form of a secret inside deserialized inputs.
const signatureKey = pulumi.runtime.specialSigKey;
const secretSignature = pulumi.runtime.specialSecretSig;

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getIgnorechangesList(): string[];
  getObject(): unknown;
}
interface RegisterResourceResponse {
  getUrn(): string;
}
type RegisterCallback = (error: unknown, response?: RegisterResourceResponse) => void;
interface MockMonitorLike {
  registerResource(request: RegisterResourceRequest, callback: RegisterCallback): Promise<void>;
}

export class ResourceRecorder {
  readonly resources: RecordedResource[] = [];
  readonly calls: MockCallArgs[] = [];

  readonly mocks: Mocks = {
    // The state echoes the inputs as they came, secret wrappers included, so outputs of secret
    // inputs stay secret as they would with a real engine.
    newResource: (args: MockResourceArgs): MockResourceResult => {
      const extra = extraStateByType[args.type]?.(args) ?? {};
      return {
        id: args.custom === false ? undefined : `${args.name}-id`,
        state: { ...args.inputs, ...extra },
      };
    },
    call: (args: MockCallArgs) => {
      this.calls.push(args);
      const result = callResults[args.token];
      if (!result) {
        const message = `no mock result for ${args.token}: add one to test/harness/pulumi/mock-state.ts`;
        // The SDK turns a failed invoke into `new Error(err.details)`, as for a gRPC error.
        throw Object.assign(new Error(message), { details: message });
      }
      return result(args);
    },
  };

  /** Wraps the mock monitor installed by setMocks so every registration is recorded. */
  attach(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike | undefined;
    if (!monitor) throw new Error('setMocks must run before the recorder attaches');
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) =>
      register(request, (error, response) => {
        if (!error && response) this.record(request, response.getUrn());
        callback(error, response);
      });
  }

  private record(request: RegisterResourceRequest, urn: string): void {
    const raw = pulumi.runtime.deserializeProperties(request.getObject() as never, true);
    this.resources.push({
      urn,
      type: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      parent: request.getParent() || undefined,
      provider: request.getProvider() || undefined,
      protect: request.getProtect(),
      dependencies: request.getDependenciesList(),
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
      ignoreChanges: request.getIgnorechangesList(),
      inputs: unwrapSecrets(raw) as Record<string, unknown>,
      secretInputPaths: secretPaths(raw, ''),
    });
  }
}

function isSecretWrapper(value: unknown): value is { value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[signatureKey] === secretSignature
  );
}

export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]),
    );
  }
  return value;
}

function secretPaths(value: unknown, path: string): string[] {
  if (isSecretWrapper(value)) return [path];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    secretPaths(inner, path === '' ? key : `${path}.${key}`),
  );
}
