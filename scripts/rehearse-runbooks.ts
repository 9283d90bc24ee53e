/**
 * Runs the "Rehearsal on the local emulator" sections of the deploy and rollback runbooks, as a
 * reader would paste them, against a fresh moto server on 127.0.0.1:5000:
 *
 *   npm run rehearse:runbooks
 *
 * Each bash block runs in one shell session, in document order (deploy, then rollback), so later
 * blocks see the variables of earlier ones. Every command that fails prints its exit code. Each
 * validation (a line `[ "$FAILED" = 0 ]`) must pass, or this script exits 1; other commands may
 * fail as the runbooks say they do offline. Takes about
 * three minutes: each `rollback-release --apply` waits 60 s for an HTTPS validation that cannot
 * succeed offline (the runbooks say so). Needs .venv (npm test or `npm run test:setup` makes it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMarkdown, sections } from '../tools/docs-check/markdown';

const ROOT = path.join(__dirname, '..');
const RUNBOOKS = ['docs/runbooks/deploy.md', 'docs/runbooks/rollback.md'];
const VALIDATION = /\[ "\$FAILED" = 0 \]\s*$/m;

interface Block {
  readonly where: string;
  readonly text: string;
}

function rehearsalBlocks(file: string): Block[] {
  const doc = parseMarkdown(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
  const section = sections(doc).find((s) => s.heading.text.startsWith('Rehearsal on the local emulator'));
  if (!section) throw new Error(`${file}: no "Rehearsal on the local emulator" section`);
  return section.codeBlocks
    .filter((b) => b.lang === 'bash')
    .map((b) => ({ where: `${file}:${b.line}`, text: b.lines.join('\n') }));
}

const blocks = RUNBOOKS.flatMap(rehearsalBlocks);
// The deploy rehearsal stops moto at its end; the rollback rehearsal continues from its state, so
// the stop moves to the very end.
const stop = /^kill "\$MOTO_PID"\s*$/m;
const script = [
  `trap 'echo ">> exit $? from: \${BASH_COMMAND:0:160}"' ERR`,
  ...blocks.flatMap((b, i) => [
    `echo "=== block ${i} ${b.where}"`,
    `( exit 0 )`,
    b.text.replace(stop, '').replace(VALIDATION, `$&\necho "=== block ${i} validation $?"`),
    `echo "=== block ${i} exit $?"`,
  ]),
  `kill "$MOTO_PID" 2>/dev/null`,
].join('\n');

const run = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const transcript = `${run.stdout}${run.stderr}`
  .split('\n')
  .filter((l) => !/^127\.0\.0\.1 - - |WARNING: This is a development server|Running on http|CTRL\+C to quit/.test(l))
  .join('\n');
process.stdout.write(`${transcript}\n`);

let failed = 0;
blocks.forEach((b, i) => {
  const code = Number(new RegExp(`=== block ${i} exit (\\d+)`).exec(run.stdout)?.[1] ?? NaN);
  const validation = new RegExp(`=== block ${i} validation (\\d+)`).exec(run.stdout)?.[1];
  const ok = validation === undefined ? !VALIDATION.test(b.text) : validation === '0';
  if (!ok) failed++;
  const what = validation === undefined ? '' : `, validation exit ${validation}`;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${b.where}: last command exit ${code}${what}\n`);
});
process.exit(failed === 0 ? 0 : 1);
