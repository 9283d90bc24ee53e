/**
 * The docs check from the command line: `npm run docs:check` after `npx cdk synth`.
 * Cross-checks every Markdown file under docs/ and the README against cdk.out and drctl's commands.
 * Exit 0 when clean, 1 with one line per finding otherwise. `npm test` runs the same check on a
 * fresh synthesis (test/tools/docs-check/docs-check.test.ts).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildProgram } from '../cli/main';
import { loadConfig } from '../lib/config';
import { checkDocs, formatFinding } from '../tools/docs-check/check';
import { deploymentFacts } from '../tools/docs-check/facts';
import { loadAssembly } from '../lib/posture/assembly';

const root = path.join(__dirname, '..');
const cdkOut = cdkOutArgument() ?? path.join(root, 'cdk.out');

/** `npm run docs:check -- [<cdk.out directory>]`; bad usage exits 2. */
function cdkOutArgument(): string | undefined {
  try {
    const { positionals } = parseArgs({ allowPositionals: true });
    if (positionals.length > 1)
      throw new Error(`expected at most one argument, the cdk.out directory; got ${positionals.join(' ')}`);
    return positionals[0];
  } catch (err) {
    process.stderr.write(`docs check: ${(err as Error).message}\n`);
    process.exit(2);
  }
}
const config = loadConfig(path.join(root, 'config', 'default.json'));
const facts = deploymentFacts(loadAssembly(cdkOut), buildProgram());
const findings = checkDocs({ root, facts, appName: config.appName, config });
for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
process.stdout.write(`docs check: ${findings.length} finding(s)\n`);
process.exit(findings.length === 0 ? 0 : 1);
