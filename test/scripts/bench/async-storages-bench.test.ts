import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../../support/config';

// npm run bench:async-storages (scripts/bench-async-storages.ts), on a short loop.
const bench = (...args: string[]) =>
  spawnSync(
    process.execPath,
    ['--import', require.resolve('tsx'), path.join(ROOT, 'scripts', 'bench-async-storages.ts'), ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );

describe('bench:async-storages', () => {
  test('prints, per number of storages in use, the loop with them enabled and once disabled', () => {
    const run = bench('--runs', '1', '--awaits', '200');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`200 awaits, median of 1 runs, Node.js ${process.version}`);
    expect(lines.slice(2).map((line) => line.split('|').map((cell) => cell.trim()))).toEqual(
      ['0', '100', '1000', '2000'].map((count) => [
        count,
        expect.stringMatching(/^\d+\.\d ms$/),
        expect.stringMatching(/^\d+\.\d ms$/),
      ]),
    );
    // The storages are really enabled: with 2,000 the loop is far slower than with none (about
    // 1,000 times on this machine), and far faster again once they are disabled.
    const ms = (row: number, column: number) => Number(lines[row].split('|')[column].replace('ms', ''));
    expect(ms(5, 1)).toBeGreaterThan(10 * ms(2, 1));
    expect(ms(5, 1)).toBeGreaterThan(10 * ms(5, 2));
  });

  test.each([
    [['--runs', '0'], '--runs: got 0, expected a positive whole number'],
    [['--awaits', 'many'], '--awaits: got many, expected a positive whole number'],
  ])('refuses %j, naming the option and the value', (args, message) => {
    const run = bench(...args);
    expect([run.status, run.stderr.trim()]).toEqual([2, message]);
  });
});
