import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Runs `node bin/drctl.js <args>` with a preload that lists, at exit, every module the process
 * loaded (require.cache: tsx's hook puts the TypeScript sources there too).
 */
function loadedModules(args: string[]): { status: number | null; modules: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drctl-startup-'));
  const list = path.join(dir, 'modules.json');
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(
    probe,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
  const run = spawnSync(process.execPath, ['--require', probe, path.join(ROOT, 'bin', 'drctl.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, modules: JSON.parse(fs.readFileSync(list, 'utf8')) as string[] };
}

const SYNTH_SIDE = /[\\/]node_modules[\\/](aws-cdk-lib|constructs|cdk-nag)[\\/]/;

describe('drctl startup', () => {
  test('--help loads neither aws-cdk-lib nor constructs nor cdk-nag, nor any stack', () => {
    const { status, modules } = loadedModules(['--help']);
    expect(status).toBe(0);
    expect(modules.filter((m) => SYNTH_SIDE.test(m))).toEqual([]);
    // From lib/ only the CDK-free modules the CLI may use (see eslint.config.mjs).
    const fromLib = modules
      .filter((m) => m.startsWith(path.join(ROOT, 'lib') + path.sep))
      .map((m) => path.relative(ROOT, m).split(path.sep).join('/'))
      .sort();
    expect(fromLib).toEqual(['lib/config.ts', 'lib/shared/deployment.ts', 'lib/shared/naming.ts']);
  });
});
