/**
 * The type check and the lint over one TypeScript program (`npm run check`, scripts/check.sh).
 *
 *   tsx scripts/typecheck-and-lint.ts [--project tsconfig.json]
 *
 * `tsc --noEmit` and a type-aware `eslint .` each build a program of every file and every type they
 * reach (aws-cdk-lib's declarations dominate); run one after the other they build it twice. This
 * builds it once: the compiler's diagnostics are read from it (what `tsc --noEmit` reports), and
 * ESLint is handed the same program through typescript-eslint's `parserOptions.programs`, so its
 * type-aware rules also find the types the type check has already resolved. The ESLint config is
 * the project's eslint.config.mjs, unchanged (its `project` setting is what `npx eslint .` uses;
 * typescript-eslint ignores it when a program is given). A file ESLint lints that the program does
 * not hold is a parse error, so nothing goes unlinted.
 *
 * Prints the compiler's diagnostics, then ESLint's report (its "stylish" format); exits 1 when
 * either found an error (a lint warning alone does not fail, as with `eslint .`), 0 otherwise.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ESLint } from 'eslint';
import ts from 'typescript';

export interface CheckResult {
  /** The compiler's diagnostics, formatted as tsc prints them. */
  readonly typeErrors: string;
  readonly typeErrorCount: number;
  /** ESLint's report in its "stylish" format ('' when clean). */
  readonly lintReport: string;
  readonly lintErrorCount: number;
}

const formatHost = (cwd: string): ts.FormatDiagnosticsHost => ({
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => cwd,
  getNewLine: () => '\n',
});

/** The program of a tsconfig, built as `tsc --noEmit -p <tsconfig>` builds it. */
export function programOf(tsconfig: string): { program: ts.Program; configErrors: readonly ts.Diagnostic[] } {
  const configErrors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
    },
  );
  if (!parsed) return { program: ts.createProgram([], {}), configErrors };
  const host = ts.createCompilerHost(parsed.options);
  // tsc itself parses JSDoc only as far as type errors need (TypeScript 5.3+); so does this.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    host,
  });
  return { program, configErrors: [...configErrors, ...parsed.errors] };
}

export async function typecheckAndLint({
  cwd,
  tsconfig,
  pretty,
}: {
  readonly cwd: string;
  readonly tsconfig: string;
  /** Colours and code excerpts, as tsc prints to a terminal; otherwise tsc's `file(line,col): error` lines. */
  readonly pretty: boolean;
}): Promise<CheckResult> {
  const { program, configErrors } = programOf(path.resolve(cwd, tsconfig));
  const diagnostics = [...configErrors, ...ts.getPreEmitDiagnostics(program)];
  const typeErrors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);

  const eslint = new ESLint({
    cwd,
    // Only for TypeScript files: the program holds no other kind (eslint.config.mjs is linted
    // without types, as by `eslint .`).
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parserOptions: { programs: [program] } } }],
  });
  const results = await eslint.lintFiles(['.']);
  const formatter = await eslint.loadFormatter('stylish');
  const lintErrorCount = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
  return {
    typeErrors: (pretty ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics)(diagnostics, formatHost(cwd)),
    typeErrorCount: typeErrors.length,
    lintReport: await formatter.format(results),
    lintErrorCount,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { project: { type: 'string', short: 'p', default: 'tsconfig.json' } } });
  const result = await typecheckAndLint({
    cwd: process.cwd(),
    tsconfig: values.project,
    pretty: Boolean(process.stdout.isTTY),
  });
  if (result.typeErrors) process.stdout.write(result.typeErrors);
  if (result.typeErrorCount) process.stdout.write(`\nType check: ${result.typeErrorCount} error(s).\n`);
  if (result.lintReport) process.stdout.write(result.lintReport);
  return result.typeErrorCount || result.lintErrorCount ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
