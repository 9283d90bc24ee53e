import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { ROOT } from './support/config';

// Every prop of every construct and stack under lib/ says what it does, and every optional prop
// says what happens without it (`@default`), as aws-cdk-lib's own props do.

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

interface Prop {
  readonly where: string;
  readonly doc: string;
  readonly optional: boolean;
  readonly hasDefault: boolean;
}

function propsOf(file: string): Prop[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Prop[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text.endsWith('Props')) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member)) continue;
        const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
        found.push({
          where: `${path.relative(ROOT, file)} ${node.name.text}.${member.name.getText(source)}`,
          doc: docs
            .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
            .join(' ')
            .trim(),
          optional: member.questionToken !== undefined,
          hasDefault: docs.some((d) => (d.tags ?? []).some((t) => t.tagName.text === 'default')),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const props = sourceFiles(path.join(ROOT, 'lib')).flatMap(propsOf);

test('finds the props of the constructs and stacks', () => {
  expect(props.map((p) => p.where)).toEqual(
    expect.arrayContaining([
      'lib/data/site-bucket.ts SiteBucketProps.versionRetentionDays',
      'lib/global/global-dns-stack.ts GlobalDnsStackProps.config',
      'lib/hosting/static-site-api.ts StaticSiteApiProps.throttlingRateLimit',
    ]),
  );
});

test('every prop has a JSDoc description', () => {
  expect(props.filter((p) => p.doc.length < 20).map((p) => p.where)).toEqual([]);
});

test('every optional prop documents its default', () => {
  expect(props.filter((p) => p.optional && !p.hasDefault).map((p) => p.where)).toEqual([]);
});
