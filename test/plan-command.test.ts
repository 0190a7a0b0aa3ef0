// `npm run plan -- <stack>`, run as a user runs it: a real Node process on the real files.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countByType, renderTree } from './harness/pulumi/plan-report.ts';
import type { RecordedResource } from './harness/pulumi/resource-recorder.ts';

const root = process.cwd();
const planScript = join(root, 'scripts', 'plan.ts');

function plan(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [planScript, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('plan command', () => {
  it('prints the resource tree, the counts per type and the outputs of k3s-dev', () => {
    const { status, stdout } = plan(['k3s-dev']);
    expect(status).toBe(0);
    expect(stdout).toContain('edgeplane:stack:K3s  k3s-dev');
    expect(stdout).toMatch(/Resources by type:\n( +\d+ {2}\S+\n)+ +\d+ {2}in all\n/);
    expect(stdout).toMatch(/ +1 {2}edgeplane:stack:K3s\n/);
    expect(stdout).toMatch(/ +2 {2}kubernetes:apps\/v1:StatefulSet\n/);
    expect(stdout).toContain('homeRegion: "home-lab"');
  });

  it('prints JSON for machines, with the policy verdict', () => {
    const { status, stdout } = plan(['aws-prod', '--json']);
    expect(status).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.stack).toBe('aws-prod');
    expect(parsed.resources.map((resource: { type: string }) => resource.type)).toContain(
      'edgeplane:stack:Aws',
    );
    expect(parsed.policies).toMatchObject({
      config: 'policies/config/aws-prod.json',
      passed: true,
      mandatory: [],
    });
    expect(parsed.policies.policies).toBeGreaterThan(20);
  });

  it('prints the policy verdict of the pack, grouped by level', () => {
    const { status, stdout } = plan(['k3s-dev']);
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /\nPolicy verdict: PASSED \(\d+ policies of the edgeplane pack; config policies\/config\/k3s-dev.json\)\n {2}mandatory: 0\n {2}advisory: \d+\n/,
    );
  });

  it('exits 1 with the config message when the stack config is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeplane-plan-'));
    try {
      copyFileSync(join(root, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
      writeFileSync(
        join(dir, 'Pulumi.broken.yaml'),
        'config:\n  edgeplane:cloud: k3s\n  edgeplane:environment: dev\n  edgeplane:domain: cdn.example.com\n' +
          '  edgeplane:regions: [home]\n  edgeplane:dns: {provider: route53, zone: example.com}\n' +
          '  edgeplane:database: {storageGb: 5}\n',
      );
      const { status, stderr, stdout } = plan(['broken'], dir);
      expect(stdout).toBe('');
      expect(status).toBe(1);
      expect(stderr).toContain(
        'edgeplane:database.storageGb: must be a whole number from 10 to 65536',
      );
      expect(stderr).toContain("valid example: pulumi config set --path 'database.storageGb' 100");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('in a copy of the project with its own policy config', () => {
    let dir = '';
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'edgeplane-plan-'));
      copyFileSync(join(root, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
      copyFileSync(join(root, 'Pulumi.k3s-dev.yaml'), join(dir, 'Pulumi.k3s-dev.yaml'));
      mkdirSync(join(dir, 'policies', 'config'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const config = (json: string) =>
      writeFileSync(join(dir, 'policies', 'config', 'k3s-dev.json'), json);

    it('exits 1 on a mandatory violation, naming policy, resource and message', () => {
      // Without k3s-dev's allowance for its in-cluster Redis, plaintext redis:// is a violation.
      config('{}');
      const text = plan(['k3s-dev'], dir);
      expect(text.status).toBe(1);
      expect(text.stdout).toContain('Policy verdict: FAILED');
      expect(text.stdout).toContain('  mandatory: 1\n');
      expect(text.stdout).toContain(
        '    [redis-tls] kubernetes:core/v1:Secret  home-lab-edgeplane-origin-credentials\n',
      );
      expect(text.stdout).toContain('with plaintext redis://; use rediss://');
      const json = plan(['k3s-dev', '--json'], dir);
      expect(json.status).toBe(1);
      expect(JSON.parse(json.stdout).policies).toMatchObject({
        passed: false,
        mandatory: [
          {
            policyName: 'redis-tls',
            enforcementLevel: 'mandatory',
            resourceType: 'kubernetes:core/v1:Secret',
            resourceName: 'home-lab-edgeplane-origin-credentials',
          },
        ],
      });
    });

    it('reports a waived policy as advisory and passes', () => {
      config('{"redis-tls": "advisory"}');
      const { status, stdout } = plan(['k3s-dev'], dir);
      expect(status).toBe(0);
      expect(stdout).toContain('  mandatory: 0\n  advisory: 1\n    [redis-tls]');
    });

    it('exits 1 with the key when the policy config is bad, before planning anything', () => {
      config('{"redis-tls": {"allowPlaintextHost": ["*.svc"]}}');
      const { status, stdout, stderr } = plan(['k3s-dev'], dir);
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain(
        'policies/config/k3s-dev.json: redis-tls.allowPlaintextHost: not a setting of redis-tls (settings: allowPlaintextHosts)',
      );
      config('{"no-such-policy": "disabled"}');
      expect(plan(['k3s-dev'], dir).stderr).toContain('no policy named "no-such-policy"');
    });
  });

  it('names the example stacks when the stack does not exist', () => {
    const { status, stderr } = plan(['nope']);
    expect(status).not.toBe(0);
    expect(stderr).toContain('no example stack nope');
    expect(stderr).toContain('k3s-dev');
  });
});

describe('plan report', () => {
  const resource = (name: string, type: string, parent?: string): RecordedResource => ({
    urn: `urn:${name}`,
    type,
    name,
    custom: true,
    parent: parent && `urn:${parent}`,
    protect: false,
    inputs: {},
    secretInputPaths: [],
  });
  const resources = [
    resource('b', 'kubernetes:apps/v1:Deployment', 'top'),
    resource('top', 'edgeplane:stack:K3s'),
    resource('a', 'kubernetes:apps/v1:Deployment', 'top'),
    resource('ns', 'kubernetes:core/v1:Namespace', 'b'),
  ];

  it('nests children under their parent, sorted', () => {
    expect(renderTree(resources)).toEqual([
      'edgeplane:stack:K3s  top',
      '  kubernetes:apps/v1:Deployment  a',
      '  kubernetes:apps/v1:Deployment  b',
      '    kubernetes:core/v1:Namespace  ns',
    ]);
  });

  it('counts per type, most first', () => {
    expect(countByType(resources)).toEqual([
      ['kubernetes:apps/v1:Deployment', 2],
      ['edgeplane:stack:K3s', 1],
      ['kubernetes:core/v1:Namespace', 1],
    ]);
  });
});
