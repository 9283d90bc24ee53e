import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../support/config';

// `npm run check` type-checks and lints over one TypeScript program (scripts/typecheck-and-lint.ts).
// Here it runs, as a CLI, on a small project that uses this repository's eslint.config.mjs: it must
// report a type error as tsc does, a type-aware lint error as eslint does, and a file the program
// does not hold (which a shared program could otherwise leave unlinted), and exit 1.
function runCheck(files: Record<string, string>, tsconfigFiles: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typecheck-and-lint-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'commonjs',
          lib: ['es2022'],
          types: [],
        },
        files: tsconfigFiles,
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'eslint.config.mjs'),
      `export { default } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'eslint.config.mjs')).href)};\n`,
    );
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const run = spawnSync(
      process.execPath,
      ['--import', require.resolve('tsx'), path.join(ROOT, 'scripts', 'typecheck-and-lint.ts')],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0' },
      },
    );
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('reports type errors, type-aware lint errors and files outside the program, and exits 1', () => {
  const run = runCheck(
    {
      'typed.ts': "export const count: number = 'one';\n",
      'floating.ts': 'async function work(): Promise<void> {}\nwork();\nexport {};\n',
      'outside.ts': 'export const fine = 1;\n',
      'clean.ts': 'export const clean = 2;\n',
    },
    ['typed.ts', 'floating.ts', 'clean.ts'],
  );
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: '' });
  // tsc's own words and code, with the file and position, as tsc prints them when not to a terminal.
  expect(run.stdout).toContain("typed.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n");
  expect(run.stdout).toContain('Type check: 1 error(s).');
  // ESLint's report: the rule needs the program's types to see a promise.
  expect(run.stdout).toMatch(
    /floating\.ts\n\s+2:1\s+error\s+Promises must be awaited.*@typescript-eslint\/no-floating-promises/,
  );
  expect(run.stdout).toMatch(
    /outside\.ts\n\s+0:0\s+error\s+Parsing error: "parserOptions.programs" has been provided .*\nThe file was not found in any of the provided program instance\(s\): .*outside\.ts/,
  );
  expect(run.stdout).not.toContain('clean.ts');
});
