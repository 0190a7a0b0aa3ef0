// npm run plan -- <stack> [--json]: plans an example stack offline under the recording mocks,
// prints the resource tree, a count per type and the outputs, then runs the policy pack over the
// planned resources and prints its verdict. Exits 1 on a stack or policy config error (with its
// message) and on a mandatory policy violation.
import { PolicyConfigError } from '../policies/lib/pack-config.ts';
import { StackConfigError } from '../stacks/config.ts';
import {
  exampleStackNames,
  type Plan,
  planStack,
  projectRoot,
} from '../test/harness/pulumi/index.ts';
import { countByType, renderTree } from '../test/harness/pulumi/plan-report.ts';
import {
  type PolicyVerdict,
  policyVerdict,
  renderVerdict,
  stackPolicyConfig,
} from './plan-verdict.ts';

function printText(plan: Plan, verdict: PolicyVerdict): void {
  console.log(`Plan of stack ${plan.stack} (offline, mocked cloud; secrets are placeholders)\n`);
  for (const line of renderTree(plan.resources)) console.log(line);
  console.log('\nResources by type:');
  for (const [type, count] of countByType(plan.resources)) {
    console.log(`  ${String(count).padStart(4)}  ${type}`);
  }
  console.log(`  ${String(plan.resources.length).padStart(4)}  in all`);
  console.log('\nOutputs:');
  for (const [name, value] of Object.entries(plan.outputs)) {
    const shown = plan.secretOutputs.includes(name) ? '[secret]' : JSON.stringify(value);
    console.log(`  ${name}: ${shown}`);
  }
  console.log('');
  for (const line of renderVerdict(verdict)) console.log(line);
}

function printJson(plan: Plan, verdict: PolicyVerdict): void {
  const outputs = Object.fromEntries(
    Object.entries(plan.outputs).map(([name, value]) => [
      name,
      plan.secretOutputs.includes(name) ? '[secret]' : value,
    ]),
  );
  const resources = plan.resources.map(({ inputs: _inputs, ...rest }) => rest);
  console.log(
    JSON.stringify(
      {
        stack: plan.stack,
        resources,
        outputs,
        counts: countByType(plan.resources),
        policies: verdict,
      },
      null,
      2,
    ),
  );
}

async function cli(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const stack = args.find((arg) => !arg.startsWith('--'));
  if (!stack) {
    console.error(
      `usage: npm run plan -- <stack> [--json]; stacks: ${exampleStackNames().join(', ')}`,
    );
    return 2;
  }
  try {
    // A bad policy config fails before anything is planned, as a bad stack config does.
    const policyConfig = stackPolicyConfig(stack, projectRoot());
    const plan = await planStack(stack);
    const verdict = await policyVerdict(plan, policyConfig);
    (json ? printJson : printText)(plan, verdict);
    return verdict.passed ? 0 : 1;
  } catch (error) {
    if (error instanceof StackConfigError || error instanceof PolicyConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) {
  process.exitCode = await cli(process.argv.slice(2));
}
