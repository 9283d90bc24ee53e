import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDocs, formatFinding, loadDocs } from '../../../tools/docs-check/check';
import type { DeploymentFacts } from '../../../tools/docs-check/facts';
import type { Heading } from '../../../tools/docs-check/markdown';

// The loader keeps parsed documents across runs (check.ts, readDoc): these tests show that it
// never serves a document whose file has changed since, and that no rule can change a shared one.

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-loader-'));
  fs.mkdirSync(path.join(root, 'docs'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const write = (rel: string, text: string) => fs.writeFileSync(path.join(root, rel), text);
const headings = (rel: string) =>
  loadDocs(root)
    .get(rel)!
    .headings.map((h) => h.text);

describe('loadDocs', () => {
  test('a file changed on disk is parsed again; an unchanged one is the same document', () => {
    write('docs/a.md', '# One\n');
    write('docs/b.md', '# Bee\n');
    const first = loadDocs(root);
    expect(first.get('docs/a.md')!.headings.map((h) => h.text)).toEqual(['One']);

    write('docs/a.md', '# Two\n');
    const second = loadDocs(root);
    expect(second.get('docs/a.md')!.headings.map((h) => h.text)).toEqual(['Two']);
    expect(second.get('docs/b.md')).toBe(first.get('docs/b.md'));
  });

  test("a file put back to a text seen before gets that text's document, not the last one parsed", () => {
    write('docs/a.md', '# One\n');
    const one = loadDocs(root).get('docs/a.md');
    write('docs/a.md', '# Two\n');
    expect(headings('docs/a.md')).toEqual(['Two']);
    write('docs/a.md', '# One\n');
    expect(loadDocs(root).get('docs/a.md')).toBe(one);
    expect(headings('docs/a.md')).toEqual(['One']);
  });

  test('the same text at two paths is two documents, each with its own path', () => {
    write('docs/a.md', '# Same\n');
    write('docs/b.md', '# Same\n');
    const docs = loadDocs(root);
    expect(docs.get('docs/a.md')!.path).toBe('docs/a.md');
    expect(docs.get('docs/b.md')!.path).toBe('docs/b.md');
  });

  test('a document is frozen all the way down, so a rule cannot change what the next run reads', () => {
    write('docs/a.md', '# One\n');
    const doc = loadDocs(root).get('docs/a.md')!;
    expect(() => (doc.headings as Heading[]).push(doc.headings[0])).toThrow(
      'Cannot add property 1, object is not extensible',
    );
    expect(() => Object.assign(doc.headings[0], { slug: 'other' })).toThrow(
      "Cannot assign to read only property 'slug' of object '#<Object>'",
    );
    expect(headings('docs/a.md')).toEqual(['One']);
    expect(loadDocs(root).get('docs/a.md')!.headings[0].slug).toBe('one');
  });
});

describe('checkDocs run again on changed files', () => {
  const facts: DeploymentFacts = {
    stacks: new Map(),
    outputs: new Map(),
    alarms: new Map(),
    allAlarms: [],
    handlers: new Set(),
    names: new Set(),
    regions: new Set(['us-east-1']),
    cliCommands: new Map(),
  };
  const config = {
    domainName: 'www.example.com',
    hostedZone: { id: 'Z0000000EXAMPLE0000', name: 'example.com' },
    healthCheck: { intervalSeconds: 30, failureThreshold: 3, searchString: 'portfolio-ok' },
    regions: { primary: 'us-east-1', standby: 'us-west-2' },
  } as Parameters<typeof checkDocs>[0]['config'];
  const check = () => checkDocs({ root, facts, appName: 'portfolio', config }).map(formatFinding);

  test('judge each run on the text on disk: a break, its fix and the break again', () => {
    const broken = '# Notes\n\n```bash\ncurl -s https://www.example.com/healthz\n```\n';
    const fixed = '# Notes\n\n```bash\ncurl -s "https://$DOMAIN/healthz"\n```\n';
    const finding = `docs/notes.md:4 [config-literal] a command repeats the config's domainName "www.example.com": read it from the config (jq -r .domainName config/default.json) so that it fits the deployment it runs against`;
    write('docs/notes.md', broken);
    expect(check()).toEqual([finding]);
    write('docs/notes.md', fixed);
    expect(check()).toEqual([]);
    write('docs/notes.md', broken);
    expect(check()).toEqual([finding]);
  });

  test('a rule of one document is run again when the facts differ, though the document is the same', () => {
    write(
      'docs/notes.md',
      '# Notes\n\n```bash\naws cloudformation describe-stacks --region us-east-1 --profile dr-operator --stack-name portfolio-data-primary\n```\n',
    );
    const withStack = { ...facts, stacks: new Map([['portfolio-data-primary', 'us-east-1']]) };
    const run = (f: DeploymentFacts) => checkDocs({ root, facts: f, appName: 'portfolio', config }).map(formatFinding);
    const unknown = [
      'docs/notes.md:4 [unknown-name] aws cloudformation describe-stacks names the stack portfolio-data-primary, which the app does not synthesize',
      'docs/notes.md:4 [unknown-name] "portfolio-data-primary" is not a stack, alarm or resource name of the app',
    ];
    expect(run(facts)).toEqual(unknown);
    expect(run(withStack)).toEqual([]);
    expect(run(facts)).toEqual(unknown);
  });

  test('links are judged on the disk at each run, though the document is the same', () => {
    write('docs/notes.md', '# Notes\n\nSee [the data](../data.txt).\n');
    write('data.txt', 'x');
    expect(check()).toEqual([]);
    fs.rmSync(path.join(root, 'data.txt'));
    expect(check()).toEqual(['docs/notes.md:3 [broken-link] link to ../data.txt: data.txt does not exist']);
  });
});
