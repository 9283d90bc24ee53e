import { parseMarkdown, sections, slugify } from '../../../tools/docs-check/markdown';

const doc = parseMarkdown(
  'docs/x.md',
  [
    '# Title',
    '',
    '## Purpose',
    'See [the plan](../dr-bcp.md#recovery-objectives) and `drctl status`.',
    '',
    '```bash',
    '## not a heading',
    '[not a link](nowhere.md)',
    '```',
    '',
    '## Scope',
    '',
    '## Purpose',
    '~~~',
    'plain',
    '~~~',
  ].join('\n'),
);

test('headings outside code blocks, with GitHub anchors; duplicates are numbered', () => {
  expect(doc.headings.map((h) => [h.level, h.text, h.line, h.slug])).toEqual([
    [1, 'Title', 1, 'title'],
    [2, 'Purpose', 3, 'purpose'],
    [2, 'Scope', 11, 'scope'],
    [2, 'Purpose', 13, 'purpose-1'],
  ]);
});

test('code blocks keep their language and lines; a fence without language has ""', () => {
  expect(doc.codeBlocks).toEqual([
    { lang: 'bash', line: 6, lines: ['## not a heading', '[not a link](nowhere.md)'] },
    { lang: '', line: 14, lines: ['plain'] },
  ]);
});

test('links and inline code come from prose only', () => {
  expect(doc.links).toEqual([{ text: '../dr-bcp.md#recovery-objectives', line: 4 }]);
  expect(doc.inlineCode).toEqual([{ text: 'drctl status', line: 4 }]);
});

test('sections count their content; an empty one counts zero', () => {
  expect(sections(doc).map((s) => [s.heading.text, s.contentLines, s.codeBlocks.length])).toEqual([
    ['Purpose', 5, 1],
    ['Scope', 0, 0],
    ['Purpose', 3, 1],
  ]);
});

test.each([
  ['Prerequisites and access', 'prerequisites-and-access'],
  ['1. Acknowledge and start the clock (minute 0)', '1-acknowledge-and-start-the-clock-minute-0'],
  ['Triage: `drctl status`', 'triage-drctl-status'],
  ['RTO/RPO targets', 'rtorpo-targets'],
])('slugify(%j) is %j', (text, slug) => {
  expect(slugify(text)).toBe(slug);
});

describe('forms a line-by-line reader misses', () => {
  const other = parseMarkdown(
    'docs/y.md',
    [
      'Purpose',
      '=======',
      '',
      'Read [the plan][plan] and [deploy] first.',
      '',
      'Scope and limits',
      '----------------',
      'Text.',
      '',
      '[plan]: ../dr-bcp.md#recovery-objectives',
      '[deploy]: runbooks/deploy.md',
      '',
      '    indented code is no heading:',
      '    # nor this',
    ].join('\n'),
  );

  test('setext headings are headings, with their anchors; the underline is not content', () => {
    expect(other.headings.map((h) => [h.level, h.text, h.line, h.slug])).toEqual([
      [1, 'Purpose', 1, 'purpose'],
      [2, 'Scope and limits', 6, 'scope-and-limits'],
    ]);
    expect(sections(other).map((s) => [s.heading.text, s.contentLines])).toEqual([['Scope and limits', 5]]);
  });

  test('reference links are links, at the line of their definition', () => {
    expect(other.links).toEqual([
      { text: '../dr-bcp.md#recovery-objectives', line: 10 },
      { text: 'runbooks/deploy.md', line: 11 },
    ]);
  });
});
