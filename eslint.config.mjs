import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Boundaries between the kinds of code (README, Layout). `no-restricted-imports` matches the
 * import string, not the resolved file, so a zone that depends on where a relative path leads is
 * written once per folder depth: from `lambda/lib/x.ts`, `../../` is the repository root.
 */
const CDK_PACKAGES = {
  paths: [
    {
      name: 'aws-cdk-lib',
      message: 'Runtime and CLI code must not load aws-cdk-lib; share values through lambda/contract/.',
    },
    { name: 'constructs', message: 'Runtime and CLI code must not load constructs.' },
    { name: 'cdk-nag', message: 'Runtime and CLI code must not load cdk-nag.' },
  ],
  patterns: [
    { group: ['aws-cdk-lib/*', 'cdk-nag/*'], message: 'Runtime and CLI code must not load aws-cdk-lib or cdk-nag.' },
  ],
};

/** `../` repeated to reach the repository root from a file `depth` folders deep. */
const up = (depth) => `(\\.\\./){${depth}}`;
/** The files exactly `depth` folders deep under `folder`. */
const filesAt = (folder, depth) => [`${folder}/${'*/'.repeat(depth - 1)}*.ts`];

/** One config block forbidding, in `files`, the imports that match `patterns` (and `paths`). */
const restrictImports = (files, patterns, paths = []) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

/** lambda/: the runtime is self-contained; it imports packages and lambda/ only. */
const lambdaZones = [2, 3, 4].map((depth) =>
  restrictImports(
    filesAt('lambda', depth),
    [
      ...CDK_PACKAGES.patterns,
      {
        regex: `^${up(depth)}(?!lambda/)`,
        message: 'lambda/ is the runtime: it imports nothing outside lambda/ (shared values live in lambda/contract/).',
      },
    ],
    CDK_PACKAGES.paths,
  ),
);

/**
 * cli/: the operator CLI runs the playbook library (lambda/) and reads the config; from lib/ it may
 * load only what has no CDK import: the config, the names and deployment record, the posture
 * report (which reads cdk.out).
 */
const cliZones = [1, 2, 3].map((depth) =>
  restrictImports(
    filesAt('cli', depth),
    [
      ...CDK_PACKAGES.patterns,
      {
        regex: `^${up(depth)}lib/(?!(config|shared/naming|shared/deployment)$|posture/)`,
        message: 'cli/ may import from lib/ only config, shared/naming, shared/deployment and posture/ (no CDK code).',
      },
      { regex: `^${up(depth)}(test|scripts|tools|bin)/`, message: 'cli/ must not import tests, scripts or tools.' },
    ],
    CDK_PACKAGES.paths,
  ),
);

/** lib/: synth-time code; from the runtime side it imports only the contract. */
const libZone = restrictImports(
  ['lib/**/*.ts', 'bin/**/*.ts'],
  [
    {
      regex: '^(\\.\\./)+lambda/(?!contract/)',
      message:
        'lib/ imports only lambda/contract/ from the runtime side (the bundler reaches handlers by path, see lib/recovery/playbook-code.ts).',
    },
    {
      regex: '^(\\.\\./)+(cli|tools|test|scripts)/',
      message: 'lib/ must not import the CLI, tools, tests or scripts.',
    },
  ],
);

/** scripts/ and tools/: shared test helpers live in tools/test-support/, not test/. */
const scriptZone = restrictImports(
  ['scripts/**/*.ts', 'tools/**/*.ts'],
  [{ regex: '^(\\.\\./)+test/', message: 'scripts/ and tools/ must not import from test/ (use tools/test-support/).' }],
);

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.venv/', '.venv-bench/', 'coverage/', '**/*.js', '!eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-new': 'off',
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error (a playbook step that fails
    // unseen), and a promise where a boolean or a void callback is expected is always truthy.
    files: ['**/*.ts'],
    // One program from tsconfig.json: `projectService` took 37 s of CPU and 2.2 GB on this
    // repository against 22 s and 1.4 GB for `project` (the CDK's types dominate either way).
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['lib/**/*.ts', 'bin/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Posture rules read resolved CloudFormation (untyped JSON, tokens turned into intrinsics).
    files: ['lib/posture/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...lambdaZones,
  ...cliZones,
  libZone,
  scriptZone,
);
