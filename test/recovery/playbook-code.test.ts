import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { esbuildTarget, PLAYBOOK_RUNTIME, playbookCode } from '../../lib/recovery/playbook-code';

// The playbook bundle's asset hash decides whether a deploy ships new Lambda code. These tests
// bundle a tiny playbook tree (a handler and one dependency) in a temporary directory, offline.

let root: string;

/** Write `files` (path relative to the fixture root -> content). */
function write(files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'playbook-code-'));
  write({
    'lambda/handlers/index.ts':
      "import { sign } from 'fake-sdk';\nexport const status = async () => sign('request');\n",
    'node_modules/fake-sdk/package.json': '{ "name": "fake-sdk", "version": "3.0.0", "main": "index.js" }',
    'node_modules/fake-sdk/index.js': "exports.sign = (r) => r + ':v3.0.0';\n",
    'node_modules/unused-tool/package.json': '{ "name": "unused-tool", "version": "1.0.0", "main": "index.js" }',
    'node_modules/unused-tool/index.js': 'exports.lint = () => 1;\n',
  });
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Synthesize the bundle into a fresh cloud assembly at `outdir` (under the fixture root). */
function stage(outdir: string): { hash: string; dir: string } {
  const app = new App({ outdir: path.join(root, outdir) });
  const code = playbookCode({ sourceDir: path.join(root, 'lambda') }).bind(new Stack(app, 'Playbooks'));
  const hash = code.s3Location!.objectKey.replace(/\.zip$/, '');
  return { hash, dir: path.join(root, outdir, `asset.${hash}`) };
}

test('a dependency update (an SDK security fix) changes the asset hash, so the deploy ships it', () => {
  const before = stage('before.out');
  write({ 'node_modules/fake-sdk/index.js': "exports.sign = (r) => r + ':v3.0.1';\n" });
  const after = stage('after.out');

  expect(after.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(after.hash).not.toBe(before.hash);
  expect(fs.readFileSync(path.join(after.dir, 'index.js'), 'utf8')).toContain('v3.0.1');
});

test('a change the bundle does not contain (an unused package) leaves the asset as it is', () => {
  const before = stage('before.out');
  write({ 'node_modules/unused-tool/index.js': 'exports.lint = () => 2;\n' });
  expect(stage('after.out').hash).toBe(before.hash);
});

test('the asset hash does not depend on where the cloud assembly is written', () => {
  expect(stage(path.join('deep', 'er', 'cdk.out')).hash).toBe(stage('cdk.out').hash);
});

test('the bundle is index.js with a source map that names sources relative to lambda/', () => {
  const { dir } = stage('cdk.out');
  expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
  expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toContain('sourceMappingURL=index.js.map');
  const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.js.map'), 'utf8'));
  expect(map.sources.sort()).toEqual(['../node_modules/fake-sdk/index.js', 'handlers/index.ts']);
  expect(map.sourcesContent).toBeUndefined();
});

describe('the bundle targets the runtime the playbooks run on (one source of truth)', () => {
  test.each([
    [lambda.Runtime.NODEJS_24_X, 'node24'],
    [lambda.Runtime.NODEJS_22_X, 'node22'],
    [lambda.Runtime.NODEJS_LATEST, `node${/\d+/.exec(lambda.Runtime.NODEJS_LATEST.name)![0]}`],
  ])('%s is built for %s', (runtime, target) => {
    expect(esbuildTarget(runtime)).toBe(target);
  });

  test('the playbooks run on Node.js 24, so the bundle is built for node24', () => {
    expect(PLAYBOOK_RUNTIME.name).toBe('nodejs24.x');
    expect(esbuildTarget(PLAYBOOK_RUNTIME)).toBe('node24');
  });

  test('a runtime that is not Node.js is refused, naming it', () => {
    expect(() => esbuildTarget(lambda.Runtime.PYTHON_3_13)).toThrow(
      'esbuildTarget: runtime "python3.13" is not a Node.js runtime (expected nodejs<major>.x)',
    );
  });
});
