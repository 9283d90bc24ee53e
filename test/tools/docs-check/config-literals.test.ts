import { parseMarkdown } from '../../../tools/docs-check/markdown';
import type { DocsContext } from '../../../tools/docs-check/rule';
import { configLiterals } from '../../../tools/docs-check/rules/config-literals';

const config = {
  domainName: 'www.example.com',
  hostedZone: { id: 'Z0000000EXAMPLE0000', name: 'example.com' },
  healthCheck: { intervalSeconds: 30, failureThreshold: 3, searchString: 'portfolio-ok' },
};
const ctx = { config } as unknown as DocsContext;
const run = (markdown: string) =>
  configLiterals(parseMarkdown('docs/runbooks/x.md', markdown), ctx).map((f) => `${f.line}: ${f.message}`);
const bash = (...lines: string[]) => ['# X', '', '```bash', ...lines, '```', ''].join('\n');

describe('config-literal', () => {
  test('a regional name is one finding, about the domain (not also the zone), at the line the command starts', () => {
    expect(run(bash('echo start', 'curl -s \\', '  https://us-east-1.www.example.com/healthz'))).toEqual([
      `5: a command repeats the config's domainName "www.example.com": read it from the config (jq -r .domainName config/default.json) so that it fits the deployment it runs against`,
    ]);
  });

  test('the zone, the search string and the domain on one line are three findings', () => {
    expect(run(bash('dig NS example.com; curl -s https://www.example.com/ | grep portfolio-ok'))).toEqual([
      expect.stringContaining(`domainName "www.example.com"`),
      expect.stringContaining(`hostedZone.name "example.com"`),
      expect.stringContaining(`healthCheck.searchString "portfolio-ok"`),
    ]);
  });

  test('every occurrence of the domain is taken out before the zone is looked for', () => {
    const findings = configLiterals(
      parseMarkdown('x.md', bash('curl https://www.example.com/ https://us-west-2.www.example.com/')),
      ctx,
    );
    expect(findings).toEqual([
      {
        path: 'x.md',
        line: 4,
        rule: 'config-literal',
        message: expect.stringContaining('domainName "www.example.com"'),
      },
    ]);
  });

  test("a zone name written with Route 53's trailing dot is matched without it", () => {
    const dotted = { ...config, hostedZone: { id: 'Z1', name: 'example.com.' } };
    const findings = configLiterals(parseMarkdown('x.md', bash('dig NS example.com')), {
      config: dotted,
    } as unknown as DocsContext);
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('hostedZone.name "example.com"')]);
  });

  test.each([
    ['values read from the config', 'DOMAIN=$(jq -r .domainName config/default.json); curl -s "https://$DOMAIN/"'],
    ['a longer word that contains a value', 'grep -q portfolio-okay out.txt; echo my-example.com.au'],
    ['a comment', 'npx drctl status --config config/default.json  # serves www.example.com'],
  ])('no finding for %s', (_name, line) => {
    expect(run(bash(line))).toEqual([]);
  });

  test('prose and non-shell blocks may name the values', () => {
    expect(
      run('The site `www.example.com` answers `portfolio-ok`.\n\n```text\nportfolio-ok release=r1\n```\n'),
    ).toEqual([]);
  });

  test("a deployment's own values are what is flagged, read from the config it is given", () => {
    const own = {
      hostedZone: { id: 'Z1', name: 'example.org.' },
      domainName: 'site.example.org',
      healthCheck: { ...config.healthCheck, searchString: 'up' },
    };
    const findings = configLiterals(
      parseMarkdown('x.md', bash('curl https://site.example.org/ https://www.example.com/ | grep -w up')),
      { config: own } as unknown as DocsContext,
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('domainName "site.example.org"'),
      expect.stringContaining('healthCheck.searchString "up"'),
    ]);
  });
});
