/**
 * `npm run test:mutation:scores`: per-file mutation scores from Stryker's JSON report
 * (reports/mutation/mutation.json), for every module named in stryker.config.json's `mutate` list.
 * Exits 1 when a module scores under the bar counting killed mutants only (a mutant caught only by a
 * timeout means a test waits on something it should bound), or when the report lacks a module.
 *
 *   npm run test:mutation:scores -- [--report FILE] [--config FILE] [--partial]
 *
 * --partial checks only the modules the report holds (after `npx stryker run --mutate <file>`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

/** The bar of issue 14: per file, timeouts not counted as kills. */
export const MIN_SCORE = 85;

/**
 * Mutant statuses of the mutation-testing-report-schema (what Stryker writes). CompileError and
 * RuntimeError mutants are invalid and Ignored ones are disabled on purpose; none of them count.
 */
type Status =
  'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

/** One mutant as the report holds it; `testsCompleted` is how many tests ran on it. */
export interface Mutant {
  readonly status: Status;
  readonly testsCompleted?: number;
}

export interface MutationReport {
  readonly files: Record<string, { readonly mutants: readonly Mutant[] }>;
}

export interface FileScore {
  readonly file: string;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly ignored: number;
  /**
   * Survivors on which no test ran: Stryker counts them as survived, but they say the runner found
   * no test for the file (e.g. jest's findRelatedTests not following an import), not that tests are weak.
   */
  readonly untested: number;
  /** Killed / valid mutants, in percent; undefined when the file has no valid mutant. */
  readonly killedScore: number | undefined;
  /** (Killed + timeout) / valid mutants: Stryker's own score. */
  readonly score: number | undefined;
}

export function fileScore(file: string, mutants: readonly Mutant[]): FileScore {
  const count = (status: Status) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  const percent = (n: number) => (valid === 0 ? undefined : (100 * n) / valid);
  return {
    file,
    killed,
    timeout,
    survived,
    noCoverage,
    ignored: count('Ignored'),
    untested: mutants.filter((m) => m.status === 'Survived' && m.testsCompleted === 0).length,
    killedScore: percent(killed),
    score: percent(killed + timeout),
  };
}

/**
 * The files a `mutate` pattern names, relative to `root`. Patterns are the subset this repository
 * uses: a path whose last segment may hold one `*` (any characters but `/`), e.g. "lib/rules/*.ts";
 * anything else that looks like a glob is refused rather than misread.
 */
export function expandPattern(root: string, pattern: string): string[] {
  const dir = path.posix.dirname(pattern);
  const name = path.posix.basename(pattern);
  if (/[?[\]{}!]/.test(pattern) || dir.includes('*') || name.split('*').length > 2) {
    throw new Error(
      `stryker.config.json mutate: got ${JSON.stringify(pattern)}, expected a file path or one "*" in its last segment such as "lib/rules/*.ts"`,
    );
  }
  if (!name.includes('*')) return [pattern];
  const [prefix, suffix] = name.split('*');
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .filter(
      (e) =>
        e.isFile() &&
        e.name.length >= prefix.length + suffix.length &&
        e.name.startsWith(prefix) &&
        e.name.endsWith(suffix),
    )
    .map((e) => `${dir}/${e.name}`)
    .sort();
}

export interface Outcome {
  readonly scores: FileScore[];
  /** Modules of the mutate list that the report does not hold. */
  readonly missing: string[];
  /** One line per reason to fail; empty when every module passes. */
  readonly failures: string[];
}

/** Scores of the mutate list's modules in `report`, and what falls short of the bar. */
export function assess(
  report: MutationReport,
  modules: readonly string[],
  options: { partial?: boolean } = {},
): Outcome {
  const reported = new Set(Object.keys(report.files));
  const scores = modules.filter((m) => reported.has(m)).map((m) => fileScore(m, report.files[m].mutants));
  const missing = modules.filter((m) => !reported.has(m));
  const failures = [
    ...scores
      .filter((s) => s.killedScore !== undefined && s.killedScore < MIN_SCORE)
      .map((s) => `${s.file}: ${formatPercent(s.killedScore)} killed, under ${MIN_SCORE}%`),
    ...scores
      .filter((s) => s.untested > 0)
      .map(
        (s) =>
          `${s.file}: ${s.untested} surviving mutants had no test run on them; check the test runner's related-test lookup`,
      ),
    ...(options.partial
      ? []
      : missing.map((m) => `${m}: not in the report (a "--mutate" run covers only its own files; use --partial)`)),
  ];
  return { scores, missing, failures };
}

export function formatPercent(score: number | undefined): string {
  return score === undefined ? 'n/a' : `${score.toFixed(1)}%`;
}

/** A fixed-width table: file, killed, timeout, survived, no coverage, ignored, both scores. */
export function formatTable(scores: readonly FileScore[]): string {
  const header = ['file', 'killed', 'timeout', 'survived', 'no cov', 'ignored', 'score (killed)', 'score (+timeout)'];
  const rows = scores.map((s) => [
    s.file,
    String(s.killed),
    String(s.timeout),
    String(s.survived),
    String(s.noCoverage),
    String(s.ignored),
    formatPercent(s.killedScore),
    formatPercent(s.score),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function readJson(file: string, what: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${what} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} ${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** Run the check; returns the exit code. */
export function main(argv: string[], root: string, out: (line: string) => void = console.log): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      report: { type: 'string', default: path.join(root, 'reports/mutation/mutation.json') },
      config: { type: 'string', default: path.join(root, 'stryker.config.json') },
      partial: { type: 'boolean', default: false },
    },
  });
  const config = readJson(values.config, 'Stryker config');
  if (!Array.isArray(config.mutate)) {
    throw new Error(`Stryker config ${values.config}: mutate: got ${JSON.stringify(config.mutate)}, expected a list`);
  }
  const modules = [...new Set((config.mutate as string[]).flatMap((p) => expandPattern(root, p)))];
  const report = readJson(values.report, 'mutation report');
  if (!report || typeof report.files !== 'object') {
    throw new Error(`mutation report ${values.report}: files: missing, expected Stryker's JSON report`);
  }
  const outcome = assess(report, modules, { partial: values.partial });
  out(formatTable(outcome.scores));
  for (const failure of outcome.failures) out(`FAIL ${failure}`);
  if (outcome.failures.length === 0) {
    out(`every module scores at least ${MIN_SCORE}% without timeouts (${outcome.scores.length} files)`);
  }
  return outcome.failures.length === 0 ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2), path.join(__dirname, '..'));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
  }
}
