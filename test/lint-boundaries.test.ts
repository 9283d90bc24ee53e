import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

interface Case {
  readonly filePath: string;
  readonly code: string;
}

/**
 * Lints each snippet as if it were the file at `filePath`, with the project's eslint.config.mjs and
 * only the import-boundary rule. ESLint runs in a child process: it loads its config with a native
 * `import()`, which jest's module sandbox does not allow. The type-aware parser setup is turned off
 * for speed: the boundary rule needs no types.
 */
function boundaryMessages(cases: readonly Case[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({
      cwd: process.cwd(),
      overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
      ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports',
    });
    (async () => {
      const out = [];
      for (const c of cases) {
        const [result] = await eslint.lintText(c.code, { filePath: c.filePath });
        out.push(result.messages.map((m) => (m.ruleId ?? 'fatal') + ': ' + m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })();
  `;
  const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

const RULE = '@typescript-eslint/no-restricted-imports';
const NO_CDK = `${RULE}: 'aws-cdk-lib' import is restricted from being used. Runtime and CLI code must not load aws-cdk-lib; share values through lambda/contract/.`;

describe('import boundaries (eslint)', () => {
  const cases: (Case & { readonly expected: string[] })[] = [
    // The runtime never loads the CDK.
    {
      filePath: 'lambda/lib/new.ts',
      code: "import { Duration } from 'aws-cdk-lib';\nexport const d = Duration;\n",
      expected: [NO_CDK],
    },
    {
      filePath: 'lambda/handlers/new.ts',
      code: "import { Duration } from 'aws-cdk-lib';\nexport const d = Duration;\n",
      expected: [NO_CDK],
    },
    {
      filePath: 'lambda/lib/restore/new.ts',
      code: "import * as s3 from 'aws-cdk-lib/aws-s3';\nexport const b = s3;\n",
      expected: [
        `${RULE}: 'aws-cdk-lib/aws-s3' import is restricted from being used by a pattern. Runtime and CLI code must not load aws-cdk-lib or cdk-nag.`,
      ],
    },
    {
      filePath: 'lambda/lib/restore/new.ts',
      code: "import { loadConfig } from '../../../lib/config';\nexport const l = loadConfig;\n",
      expected: [
        `${RULE}: '../../../lib/config' import is restricted from being used by a pattern. lambda/ is the runtime: it imports nothing outside lambda/ (shared values live in lambda/contract/).`,
      ],
    },
    // The CLI never loads the CDK, nor stack code.
    {
      filePath: 'cli/new.ts',
      code: "import { Duration } from 'aws-cdk-lib';\nexport const d = Duration;\n",
      expected: [NO_CDK],
    },
    {
      filePath: 'cli/preflight/new.ts',
      code: "import { Construct } from 'constructs';\nexport const c = Construct;\n",
      expected: [
        `${RULE}: 'constructs' import is restricted from being used. Runtime and CLI code must not load constructs.`,
      ],
    },
    {
      filePath: 'cli/new.ts',
      code: "import { HostingStack } from '../lib/hosting/hosting-stack';\nexport const h = HostingStack;\n",
      expected: [
        `${RULE}: '../lib/hosting/hosting-stack' import is restricted from being used by a pattern. cli/ may import from lib/ only config, shared/naming, shared/deployment and posture/ (no CDK code).`,
      ],
    },
    // lib/ reaches the runtime only through the contract.
    {
      filePath: 'lib/recovery/new.ts',
      code: "import { siteBucket } from '../../lambda/lib/site-buckets';\nexport const s = siteBucket;\n",
      expected: [
        `${RULE}: '../../lambda/lib/site-buckets' import is restricted from being used by a pattern. lib/ imports only lambda/contract/ from the runtime side (the bundler reaches handlers by path, see lib/recovery/playbook-code.ts).`,
      ],
    },
    // scripts/ and tools/ do not import tests.
    {
      filePath: 'scripts/new.ts',
      code: "import { ROOT } from '../test/support/app';\nexport const r = ROOT;\n",
      expected: [
        `${RULE}: '../test/support/app' import is restricted from being used by a pattern. scripts/ and tools/ must not import from test/ (use tools/test-support/).`,
      ],
    },
    // What each side may import passes.
    {
      filePath: 'lambda/lib/restore/new.ts',
      code: "import { HEALTH_PATH } from '../../contract/site';\nimport { Timeline } from '../timeline';\nexport const x = [HEALTH_PATH, Timeline];\n",
      expected: [],
    },
    {
      filePath: 'cli/preflight/new.ts',
      code:
        "import { loadConfig } from '../../lib/config';\nimport { Names } from '../../lib/shared/naming';\n" +
        "import { s3Client } from '../../lambda/lib/aws';\nexport const x = [loadConfig, Names, s3Client];\n",
      expected: [],
    },
    {
      filePath: 'lib/hosting/new.ts',
      code: "import { STAGE_NAME } from '../../lambda/contract/site';\nimport { Duration } from 'aws-cdk-lib';\nexport const x = [STAGE_NAME, Duration];\n",
      expected: [],
    },
  ];

  test('each zone refuses what crosses it and admits the contract', () => {
    const actual = boundaryMessages(cases);
    expect(cases.map((c, i) => ({ file: c.filePath, code: c.code, messages: actual[i] }))).toEqual(
      cases.map((c) => ({ file: c.filePath, code: c.code, messages: c.expected })),
    );
  });
});

describe('type-aware rules (eslint)', () => {
  test('a promise left floating or passed where a void callback goes is an error in every folder', () => {
    const files = [
      'lambda/lib/aws.ts',
      'cli/main.ts',
      'lib/config.ts',
      'scripts/emulator-seed.ts',
      'test/config.test.ts',
    ];
    const script = `
      const { ESLint } = require('eslint');
      const files = JSON.parse(process.argv[1]);
      const rules = ['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises'];
      (async () => {
        const eslint = new ESLint({ cwd: process.cwd() });
        const out = {};
        for (const f of files) {
          const config = await eslint.calculateConfigForFile(f);
          out[f] = rules.map((r) => r + ': ' + JSON.stringify(config.rules[r]));
        }
        process.stdout.write(JSON.stringify(out));
      })();
    `;
    const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(files)], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(
      Object.fromEntries(
        files.map((f) => [
          f,
          ['@typescript-eslint/no-floating-promises: [2]', '@typescript-eslint/no-misused-promises: [2]'],
        ]),
      ),
    );
  });
});
