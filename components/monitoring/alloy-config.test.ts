// Alloy's pipeline is text in Alloy's own language and no Alloy binary is packaged for these
// machines, so this checks its structure: braces balance, every component it references is
// declared, logs end at Loki's push API, and nothing in it is Helm template syntax (the chart
// passes the text through `tpl`).
import { alloyLogPipeline } from './alloy-config.ts';
import { endpoints } from './endpoints.ts';

const declared = (config: string) =>
  [...config.matchAll(/^((?:[a-z_]+\.)+[a-z_]+) "([a-z_]+)" \{/gm)].map(
    (match) => `${match[1]}.${match[2]}`,
  );
const referenced = (config: string) =>
  [...config.matchAll(/= \[?([a-z_]+\.[a-z_]+\.[a-z_]+)\.(targets|output|receiver)\]?/g)].map(
    (match) => match[1] as string,
  );

describe.each([false, true])('alloyLogPipeline (clustered: %s)', (clustered) => {
  const config = alloyLogPipeline({ clustered });

  it('balances its braces and brackets', () => {
    let depth = 0;
    for (const character of config.replace(/"(\\.|[^"\\])*"/g, '""')) {
      if (character === '{' || character === '[') depth += 1;
      if (character === '}' || character === ']') depth -= 1;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('declares every component it references', () => {
    expect(declared(config).sort()).toEqual([
      'discovery.kubernetes.pods',
      'discovery.relabel.pods',
      'loki.process.runtime',
      'loki.source.kubernetes.pods',
      'loki.write.default',
    ]);
    const references = referenced(config);
    expect(references.sort()).toEqual([
      'discovery.kubernetes.pods',
      'discovery.relabel.pods',
      'loki.process.runtime',
      'loki.write.default',
    ]);
  });

  it('pushes to Loki, parses the runtime JSON only in its namespace, and clusters as told', () => {
    expect(config).toContain(`url = "${endpoints.lokiPushUrl}"`);
    expect(config).toContain('selector = "{namespace=\\"edgeplane\\"}"');
    expect(config).toContain(`enabled = ${clustered}`);
  });

  it('contains no Helm template syntax', () => {
    expect(config).not.toContain('{{');
  });
});
