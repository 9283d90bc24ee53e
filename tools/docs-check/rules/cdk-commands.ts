import type { MarkdownDoc } from '../markdown';
import type { DocOptions, Finding } from '../rule';
import { checkProfile, eachInvocation } from './command-support';

/** cdk commands that talk to an AWS account. */
const CDK_ACCOUNT_COMMANDS = new Set(['deploy', 'diff', 'destroy', 'bootstrap', 'import', 'rollback']);

/** Every `cdk` command that talks to an account names its profile and the stacks it changes. */
export function cdkCommands(doc: MarkdownDoc, { facts }: DocOptions): Finding[] {
  return eachInvocation(doc, 'cdk', (inv, report) => {
    if (!CDK_ACCOUNT_COMMANDS.has(inv.command)) return;
    checkProfile(inv, report, `cdk ${inv.command}`);
    if (inv.command === 'bootstrap') return;
    // Positional stack names look like `<appName>-...`; any other bare word is an option's value
    // (`--fail-on destructive`, `--orphan "$PATH"`), and unknown `<appName>-` words are reported by
    // the names check wherever they appear.
    const stacks = inv.args.slice(1).filter((a) => /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(a) && facts.stacks.has(a));
    if (stacks.length === 0 && !inv.args.includes('--all') && !inv.args.some((a) => a.startsWith('$'))) {
      report(
        'explicit-environment',
        `cdk ${inv.command} names no stack: name the stacks (or --all) so the reader knows what changes`,
      );
    }
  });
}
