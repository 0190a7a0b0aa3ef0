// The users' CI workflow stays in step with the example stacks and the policy pack.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exampleStackNames, placeholderSecrets, readStackConfig } from './harness/pulumi/index.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  environment?: string;
  strategy: { matrix: { include: Record<string, string>[] } };
  steps: Step[];
}

const root = process.cwd();
const workflow = parse(readFileSync(join(root, '.github/workflows/pulumi.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const stacks = exampleStackNames();
/** A GitHub Actions expression, `${{ ... }}`, as the workflow file spells it. */
const expression = (inner: string) => `\${{ ${inner} }}`;
const pulumiStep = (job: Job) => job.steps.find((step) => step.uses?.startsWith('pulumi/actions@'));

describe('.github/workflows/pulumi.yml', () => {
  it('runs the tests (with the offline policy verdicts) on pull requests and on main', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(workflow.jobs.test?.steps.map((step) => step.run)).toContain('./run test');
  });

  it('previews every example stack with the policy pack and its config on pull requests', () => {
    const preview = workflow.jobs.preview as Job;
    expect(preview.if).toBe("github.event_name == 'pull_request'");
    expect(preview.strategy.matrix.include.map((entry) => entry.stack).sort()).toEqual(stacks);
    expect(pulumiStep(preview)?.with).toMatchObject({
      command: 'preview',
      policyPacks: 'policies',
      policyPackConfigs: `policies/config/${expression('matrix.stack')}.json`,
    });
    for (const stack of stacks)
      expect(existsSync(join(root, `policies/config/${stack}.json`))).toBe(true);
  });

  it('deploys every stack on main behind the GitHub environment of its own environment', () => {
    const up = workflow.jobs.up as Job;
    expect(up.if).toContain("github.ref == 'refs/heads/main'");
    expect(up.environment).toBe(expression('matrix.environment'));
    const entries = up.strategy.matrix.include;
    expect(entries.map((entry) => entry.stack).sort()).toEqual(stacks);
    for (const entry of entries) {
      const { values } = readStackConfig(entry.stack as string, placeholderSecrets);
      expect(entry.environment).toBe(values['edgeplane:environment']);
      expect(entry.cloud).toBe(values['edgeplane:cloud']);
    }
    expect(pulumiStep(up)?.with).toMatchObject({ command: 'up', policyPacks: 'policies' });
  });
});
