// The pack's list: what the Pulumi CLI checks when it loads a pack (and refuses the pack for), checked
// here without starting the pack's server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPolicies } from './all.ts';

const levels = ['advisory', 'mandatory', 'remediate', 'disabled'];

describe('the edgeplane policy pack', () => {
  it('has policies with unique kebab-case names, a description and a default level each', () => {
    const names = allPolicies.map((policy) => policy.name);
    expect(names.length).toBeGreaterThan(20);
    expect(new Set(names).size).toBe(names.length);
    for (const policy of allPolicies) {
      expect(policy.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(policy.name).not.toBe('all');
      expect(policy.description.length).toBeGreaterThan(10);
      expect(levels).toContain(policy.enforcementLevel);
    }
  });

  it('keeps enforcementLevel out of every config schema (the CLI rejects it there)', () => {
    for (const policy of allPolicies) {
      expect(Object.keys(policy.configSchema?.properties ?? {})).not.toContain('enforcementLevel');
      expect(policy.configSchema?.required ?? []).not.toContain('enforcementLevel');
    }
  });

  it('documents every policy in docs/policies.md', () => {
    const docs = readFileSync(join(process.cwd(), 'docs', 'policies.md'), 'utf8');
    const undocumented = allPolicies
      .map((policy) => policy.name)
      .filter((name) => !docs.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
