import { parseMarkdown } from '../../../tools/docs-check/markdown';
import type { DocsContext } from '../../../tools/docs-check/rule';
import { scenarioClocks } from '../../../tools/docs-check/rules/scenario-clocks';

const clockDoc = (...rows: string[]) =>
  [
    '# Incident response model',
    '',
    '## Scenario clocks',
    '',
    '| scenario | runbook | acknowledge | decide | act | validate | page to mitigated |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Escalation',
    '',
    'Later.',
    '',
  ].join('\n');

const FAILOVER_ROW =
  '| site down | [failover.md](runbooks/failover.md) | 5 min | 5 min | 4 min (manual failover budget) | 1 min | 15 min |';

const runbook = (...purpose: string[]) =>
  ['# X', '', '## Purpose', '', ...purpose, '', '## Scope', '', 'All.', ''].join('\n');

function run(files: Record<string, string>): string[] {
  const docs = new Map(Object.entries(files).map(([p, text]) => [p, parseMarkdown(p, text)]));
  return scenarioClocks({ docs } as unknown as DocsContext).map((f) => `${f.path}:${f.line} ${f.message}`);
}

describe('scenario-clock', () => {
  test('a runbook that states the clock of the table passes', () => {
    expect(
      run({
        'docs/incident-response.md': clockDoc(FAILOVER_ROW),
        'docs/runbooks/failover.md': runbook('**Page to mitigated:** 15 min, the scenario clock.'),
        'docs/runbooks/deploy.md': runbook('Ship it.'),
      }),
    ).toEqual([]);
  });

  test('a runbook whose stated target differs from the table', () => {
    expect(
      run({
        'docs/incident-response.md': clockDoc(FAILOVER_ROW),
        'docs/runbooks/failover.md': runbook('**Page to mitigated:** 10 min.'),
      }),
    ).toEqual([
      'docs/runbooks/failover.md:5 states a page-to-mitigated target of 10 min, but the clock table in docs/incident-response.md gives 15 min',
    ]);
  });

  test('a runbook in the table that states no target, and one outside it that states one', () => {
    expect(
      run({
        'docs/incident-response.md': clockDoc(FAILOVER_ROW),
        'docs/runbooks/failover.md': runbook('Fail over.'),
        'docs/runbooks/deploy.md': runbook('**Page to mitigated:** 5 min.'),
      }),
    ).toEqual([
      'docs/runbooks/failover.md:1 the clock table gives this runbook 15 min from page to mitigated; state it once, on a line starting with **Page to mitigated:**',
      'docs/runbooks/deploy.md:5 states a page-to-mitigated target, but docs/incident-response.md has no clock for this runbook: add its row to the table under "Scenario clocks" or drop the line',
    ]);
  });

  test('a second statement, and an MTTR promise of its own', () => {
    expect(
      run({
        'docs/incident-response.md': clockDoc(FAILOVER_ROW),
        'docs/runbooks/failover.md': runbook(
          '**Page to mitigated:** 15 min.',
          '',
          '**Page to mitigated:** 15 min.',
          '',
          'Within an MTTR target of 10 minutes.',
        ),
      }),
    ).toEqual([
      'docs/runbooks/failover.md:7 states its page-to-mitigated target more than once: keep one **Page to mitigated:** line',
      'docs/runbooks/failover.md:9 a runbook promises an MTTR of its own: state the scenario clock from docs/incident-response.md instead (**Page to mitigated:** N min)',
    ]);
  });

  test('a row whose parts do not add up to its clock', () => {
    expect(
      run({
        'docs/incident-response.md': clockDoc(
          '| site down | [failover.md](runbooks/failover.md) | 5 min | 5 min | 4 min | 5 min | 15 min |',
        ),
        'docs/runbooks/failover.md': runbook('**Page to mitigated:** 15 min.'),
      }),
    ).toEqual([
      'docs/incident-response.md:7 the clock of docs/runbooks/failover.md is 15 min, but its parts add up to 19 min (acknowledge 5 + decide 5 + act 4 + validate 5)',
    ]);
  });

  test.each([
    [
      'a total that is not whole minutes',
      '| site down | [failover.md](runbooks/failover.md) | 5 min | 5 min | 4 min | 1 min | fast |',
      'docs/incident-response.md:7 the clock of docs/runbooks/failover.md is "fast": write it as whole minutes, e.g. "15 min"',
    ],
    [
      'a row without a runbook link',
      '| site down | failover | 5 min | 5 min | 4 min | 1 min | 15 min |',
      'docs/incident-response.md:7 a clock row links to no runbook in its "runbook" column: "failover"',
    ],
    [
      'a runbook that does not exist',
      '| site down | [gone.md](runbooks/gone.md) | 5 min | 5 min | 4 min | 1 min | 15 min |',
      'docs/incident-response.md:7 the clock table names docs/runbooks/gone.md, which is not a runbook in docs/runbooks/',
    ],
  ])('%s', (_name, row, message) => {
    expect(run({ 'docs/incident-response.md': clockDoc(row) })).toEqual([message]);
  });

  test('a part that is not whole minutes; the row still sets the runbook its clock', () => {
    expect(
      run({
        'docs/incident-response.md': clockDoc(
          '| site down | [failover.md](runbooks/failover.md) | 5 min | soon | 4 min | 1 min | 15 min |',
        ),
        'docs/runbooks/failover.md': runbook('**Page to mitigated:** 15 min.'),
      }),
    ).toEqual([
      `docs/incident-response.md:7 the "decide" part of docs/runbooks/failover.md's clock is "soon": start it with whole minutes, e.g. "5 min"`,
    ]);
  });

  test('no table under the heading', () => {
    expect(run({ 'docs/incident-response.md': '# Model\n\n## Scenario clocks\n\nNone yet.\n' })).toEqual([
      'docs/incident-response.md:1 no table under the heading "Scenario clocks": every scenario\'s runbook needs its page-to-mitigated target there',
    ]);
  });

  test('a table missing a column names it', () => {
    const doc =
      '# M\n\n## Scenario clocks\n\n| runbook | page to mitigated |\n| --- | --- |\n| [f](runbooks/f.md) | 5 min |\n';
    expect(run({ 'docs/incident-response.md': doc })).toEqual([
      'docs/incident-response.md:5 the clock table lacks the column(s) "acknowledge", "decide", "act", "validate" (it needs "runbook", "page to mitigated", "acknowledge", "decide", "act", "validate")',
    ]);
  });

  test('without the incident model there is nothing to check', () => {
    expect(run({ 'docs/runbooks/failover.md': runbook('**Page to mitigated:** 15 min.') })).toEqual([]);
  });
});
