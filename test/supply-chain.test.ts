import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/config';

// What an install may run and fetch: npm runs no dependency's install script (.npmrc), and pip
// installs only files whose hashes are in the Python locks (requirements-*.txt).

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('npm install scripts', () => {
  /** The packages of the lockfile that declare an install script, each reviewed in .npmrc. */
  const REVIEWED = ['@parcel/watcher', '@swc/core', 'esbuild'];

  test('.npmrc turns dependency install scripts off, for every npm version alike', () => {
    const settings = read('.npmrc')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    expect(settings).toEqual(['ignore-scripts=true']);
  });

  test('every package with an install script is one reviewed in .npmrc (a new one must be reviewed first)', () => {
    const lock = JSON.parse(read('package-lock.json'));
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([, p]) => p.hasInstallScript)
      .map(([key]) => key.replace(/^.*node_modules\//, ''));
    expect(withScripts.sort()).toEqual(REVIEWED);
    const npmrc = read('.npmrc');
    for (const name of REVIEWED) expect(npmrc).toContain(`# - ${name} (`);
  });

  test('the skipped scripts are not needed: esbuild and swc run from their prebuilt platform packages', async () => {
    const esbuild = await import('esbuild');
    expect(esbuild.transformSync('let a: number = 1', { loader: 'ts' }).code).toBe('let a = 1;\n');
    const swc = await import('@swc/core');
    expect(swc.transformSync('let a: number = 1', { jsc: { parser: { syntax: 'typescript' } } }).code).toMatch(
      /^(var|let) a = 1;/,
    );
  });
});

describe.each([
  ['requirements-test', 'scripts/setup-test-tools.sh'],
  ['requirements-uv', 'scripts/setup-test-tools.sh'],
  ['requirements-bench', 'scripts/bench/peer.ts'],
  ['requirements-bench-build', 'scripts/bench/peer.ts'],
])('Python lock %s.txt', (name, installer) => {
  const lock = read(`${name}.txt`);
  /** name==version lines of the lock, each with its continuation lines. */
  const entries = lock.split(/\n(?=[a-z0-9])/i).filter((e) => !e.startsWith('#'));

  test('pins every requirement to one version with its sha256 hashes', () => {
    expect(entries.length).toBeGreaterThan(0);
    const unpinned = entries.filter(
      (e) => !/^[A-Za-z0-9._-]+==[^\s\\]+ \\\n(\s+--hash=sha256:[0-9a-f]{64}( \\)?\n?)+/.test(e),
    );
    expect(unpinned).toEqual([]);
  });

  test(`holds each input of ${name}.in at the version asked for`, () => {
    const inputs = read(`${name}.in`)
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.replace(/\[[^\]]*\]/, ''));
    for (const pin of inputs) expect(lock).toMatch(new RegExp(`^${pin.replace(/[.]/g, '\\.')} \\\\$`, 'm'));
  });

  test(`is installed with --require-hashes by ${installer}`, () => {
    expect(read(installer)).toContain('--require-hashes');
  });
});

describe('scripts/setup-test-tools.sh', () => {
  /** The script's commands, continuation lines joined. */
  const commands = read('scripts/setup-test-tools.sh')
    .replace(/\\\n\s*/g, '')
    .split('\n');

  test.each(['requirements-uv.txt', 'requirements-test.txt'])(
    'installs %s with --require-hashes, --only-binary=:all: and --no-deps',
    (lock) => {
      const install = commands.filter((c) => c.includes(`-r ${lock}`));
      expect(install).toHaveLength(1);
      for (const flag of ['--require-hashes', '--only-binary=:all:', '--no-deps']) expect(install[0]).toContain(flag);
    },
  );

  test('reinstalls when either lock changes: its stamp hashes both', () => {
    const want = commands.filter((c) => c.startsWith('want='));
    expect(want).toEqual(["want=$(cat requirements-test.txt requirements-uv.txt | sha256sum | cut -d' ' -f1)"]);
  });
});

describe('AWS SDK', () => {
  // AWS publishes a client only when it changes, so the clients' own versions differ (client-backup
  // 3.1092.0, client-s3 3.1175.0): what must be one is the shared core they run on. Two copies of
  // @aws-sdk/core or of a @smithy package would mean two middleware stacks, two credential chains and
  // instanceof checks that fail between clients.
  test('package-lock.json holds exactly one version of @aws-sdk/core and of each @smithy/* package', () => {
    const lock = JSON.parse(read('package-lock.json'));
    const versions = new Map<string, Set<string>>();
    for (const [key, p] of Object.entries(lock.packages as Record<string, { version?: string }>)) {
      const name = /node_modules\/(@aws-sdk\/core|@smithy\/[^/]+)$/.exec(key)?.[1];
      if (name && p.version) versions.set(name, (versions.get(name) ?? new Set()).add(p.version));
    }
    expect(versions.has('@aws-sdk/core')).toBe(true);
    expect([...versions.keys()].filter((n) => n.startsWith('@smithy/')).length).toBeGreaterThan(0);
    const duplicated = [...versions].filter(([, v]) => v.size > 1).map(([n, v]) => `${n}: ${[...v].sort().join(', ')}`);
    expect(duplicated).toEqual([]);
  });
});
