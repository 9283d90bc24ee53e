/**
 * `npm run bench:synth`: median wall time of a full synth of this app (five stacks, asset
 * staging, cdk-nag) against a minimal one-bucket CDK app, measured in the same run, interleaved,
 * both through the CDK CLI as a user runs it, and both as the bare app process (no CLI).
 *
 *   npm run bench:synth -- [--runs N]      (default 5 measured runs after 1 warm-up each)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.join(__dirname, '..');
const RUNS = runs();

function runs(): number {
  let values;
  try {
    ({ values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } }));
  } catch (err) {
    // Unknown options and a --runs without its value.
    console.error((err as Error).message);
    process.exit(2);
  }
  const n = Number(values.runs);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--runs: got ${values.runs}, expected a positive whole number`);
    process.exit(2);
  }
  return n;
}

const FULL_APP = 'npx tsx bin/portfolio-dr.ts';
const MINIMAL_APP = 'npx tsx scripts/bench/minimal-app.ts';

interface Case {
  readonly name: string;
  readonly command: (outdir: string) => [string, string[], NodeJS.ProcessEnv];
}

const viaCli =
  (app: string): Case['command'] =>
  (outdir) => ['npx', ['cdk', 'synth', '--quiet', '--app', app, '-o', outdir], {}];
const bareApp =
  (entry: string): Case['command'] =>
  (outdir) => [
    'npx',
    ['tsx', entry],
    {
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context),
    },
  ];

const cases: Case[] = [
  { name: 'full app, cdk synth', command: viaCli(FULL_APP) },
  { name: 'minimal app, cdk synth', command: viaCli(MINIMAL_APP) },
  { name: 'full app, bare process', command: bareApp('bin/portfolio-dr.ts') },
  { name: 'minimal app, bare process', command: bareApp('scripts/bench/minimal-app.ts') },
];

function runOnce(c: Case): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const [cmd, args, env] = c.command(outdir);
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) {
    console.error(`${c.name} failed (exit ${result.status}):\n${result.stderr}`);
    process.exit(1);
  }
  return seconds;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
console.log(`bench:synth: ${RUNS} measured runs per case (after 1 warm-up), interleaved; ${os.cpus().length} CPUs`);
for (const c of cases) runOnce(c);
for (let i = 0; i < RUNS; i++) {
  for (const c of cases) {
    const s = runOnce(c);
    times.get(c.name)!.push(s);
    process.stdout.write(`  run ${i + 1}/${RUNS} ${c.name.padEnd(28)} ${s.toFixed(2)} s\n`);
  }
}

const med = (name: string) => median(times.get(name)!);
console.log('\nmedian wall time');
for (const c of cases) console.log(`  ${c.name.padEnd(28)} ${med(c.name).toFixed(2)} s`);
const cliRatio = med('full app, cdk synth') / med('minimal app, cdk synth');
const bareRatio = med('full app, bare process') / med('minimal app, bare process');
console.log(`\nratio full/minimal, cdk synth:    ${cliRatio.toFixed(2)}x (target <= 2x)`);
console.log(`ratio full/minimal, bare process: ${bareRatio.toFixed(2)}x`);
process.exitCode = cliRatio <= 2 ? 0 : 1;
