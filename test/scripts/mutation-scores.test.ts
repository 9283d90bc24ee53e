import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assess, expandPattern, fileScore, main, type MutationReport } from '../../scripts/mutation-scores';

const FIXTURE = path.join(__dirname, 'fixtures/mutation/mutation.json');
const report: MutationReport = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));

/** A scratch repository root holding `files` (path -> text). */
function repo(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mutation-scores-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const MODULES = {
  'lib/good.ts': '',
  'lib/rules/slow.ts': '',
  'lib/rules/untested.ts': '',
  'lib/rules/notes.md': '',
};

describe('mutation scores', () => {
  test('counts each status; ignored and invalid mutants are left out of both scores', () => {
    expect(fileScore('lib/good.ts', report.files['lib/good.ts'].mutants)).toEqual({
      file: 'lib/good.ts',
      killed: 6,
      timeout: 0,
      survived: 1,
      noCoverage: 0,
      ignored: 1,
      untested: 0,
      killedScore: (100 * 6) / 7,
      score: (100 * 6) / 7,
    });
  });

  test('a timeout counts for Stryker score but not for the killed score', () => {
    const slow = fileScore('lib/rules/slow.ts', report.files['lib/rules/slow.ts'].mutants);
    expect([slow.killedScore, slow.score]).toEqual([50, 100]);
  });

  test('a file without valid mutants has no score and does not fail', () => {
    const outcome = assess({ files: { 'lib/empty.ts': { mutants: [] } } }, ['lib/empty.ts']);
    expect(outcome.scores[0].killedScore).toBeUndefined();
    expect(outcome.failures).toEqual([]);
  });

  test('fails the files under 85% killed, and the modules the report lacks', () => {
    const outcome = assess(report, ['lib/good.ts', 'lib/rules/slow.ts', 'lib/rules/untested.ts', 'lib/absent.ts']);
    expect(outcome.failures).toEqual([
      'lib/rules/slow.ts: 50.0% killed, under 85%',
      'lib/rules/untested.ts: 50.0% killed, under 85%',
      'lib/absent.ts: not in the report (a "--mutate" run covers only its own files; use --partial)',
    ]);
    expect(assess(report, ['lib/absent.ts'], { partial: true }).failures).toEqual([]);
  });

  test('survivors on which no test ran fail the file, whatever its score', () => {
    const mutants = [
      ...Array(9).fill({ status: 'Killed', testsCompleted: 1 }),
      { status: 'Survived', testsCompleted: 0 },
    ];
    const outcome = assess({ files: { 'a.ts': { mutants } } }, ['a.ts']);
    expect(outcome.scores[0].untested).toBe(1);
    expect(outcome.failures).toEqual([
      "a.ts: 1 surviving mutants had no test run on them; check the test runner's related-test lookup",
    ]);
  });

  test('85% exactly passes', () => {
    const mutants = [...Array(17).fill({ status: 'Killed' }), ...Array(3).fill({ status: 'Survived' })];
    expect(assess({ files: { 'a.ts': { mutants } } }, ['a.ts']).failures).toEqual([]);
    const under = [...Array(16).fill({ status: 'Killed' }), ...Array(3).fill({ status: 'Survived' })];
    expect(assess({ files: { 'a.ts': { mutants: under } } }, ['a.ts']).failures).toEqual([
      'a.ts: 84.2% killed, under 85%',
    ]);
  });

  test('expands a "*" in the last segment against the files on disk', () => {
    const root = repo(MODULES);
    expect(expandPattern(root, 'lib/rules/*.ts')).toEqual(['lib/rules/slow.ts', 'lib/rules/untested.ts']);
    expect(expandPattern(root, 'lib/good.ts')).toEqual(['lib/good.ts']);
    expect(expandPattern(root, 'lib/none/*.ts')).toEqual([]);
  });

  test.each(['lib/**/*.ts', 'lib/*/x.ts', 'lib/{a,b}.ts', '!lib/a.ts', 'lib/*a*.ts'])(
    'refuses the glob %s rather than misread it',
    (pattern) => {
      expect(() => expandPattern('/nowhere', pattern)).toThrow(
        new Error(
          `stryker.config.json mutate: got ${JSON.stringify(pattern)}, expected a file path or one "*" in its last segment such as "lib/rules/*.ts"`,
        ),
      );
    },
  );

  test('main prints the table and exits 1 when a module falls short', () => {
    const root = repo({
      ...MODULES,
      'stryker.config.json': JSON.stringify({ mutate: ['lib/good.ts', 'lib/rules/*.ts'] }),
    });
    const lines: string[] = [];
    const code = main(['--report', FIXTURE], root, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines.join('\n')).toBe(
      [
        'file                   killed  timeout  survived  no cov  ignored  score (killed)  score (+timeout)',
        'lib/good.ts                 6        0         1       0        1           85.7%             85.7%',
        'lib/rules/slow.ts           2        2         0       0        0           50.0%            100.0%',
        'lib/rules/untested.ts       1        0         0       1        0           50.0%             50.0%',
        'FAIL lib/rules/slow.ts: 50.0% killed, under 85%',
        'FAIL lib/rules/untested.ts: 50.0% killed, under 85%',
      ].join('\n'),
    );
  });

  test('main exits 0 when every module reaches the bar', () => {
    const root = repo({ ...MODULES, 'stryker.config.json': JSON.stringify({ mutate: ['lib/good.ts'] }) });
    const lines: string[] = [];
    expect(main(['--report', FIXTURE], root, (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe('every module scores at least 85% without timeouts (1 files)');
  });

  test('a missing report is an error naming the file', () => {
    const root = repo({ 'stryker.config.json': JSON.stringify({ mutate: [] }) });
    expect(() => main([], root)).toThrow(
      new Error(`mutation report ${path.join(root, 'reports/mutation/mutation.json')}: cannot read it (ENOENT)`),
    );
  });

  test('a mutate entry that is not a list is an error naming the field', () => {
    const root = repo({ 'stryker.config.json': JSON.stringify({ mutate: 'lib/a.ts' }) });
    expect(() => main([], root)).toThrow(
      new Error(`Stryker config ${path.join(root, 'stryker.config.json')}: mutate: got "lib/a.ts", expected a list`),
    );
  });
});
