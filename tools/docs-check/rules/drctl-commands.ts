import type { MarkdownDoc } from '../markdown';
import type { DocOptions, Finding } from '../rule';
import { optionNames, optionValue } from '../shell';
import { checkProfile, checkRegion, checkResolved, eachInvocation } from './command-support';

/**
 * Every `drctl` command exists with the options written, names its deployment (or region) and
 * profile, and reads IDs at run time.
 */
export function drctlCommands(doc: MarkdownDoc, { facts }: DocOptions): Finding[] {
  return eachInvocation(doc, 'drctl', (inv, report) => {
    const options = facts.cliCommands.get(inv.command);
    if (!options) {
      report(
        'cli-command',
        `drctl has no command "${inv.command}" (it has ${[...facts.cliCommands.keys()].join(', ')})`,
      );
      return;
    }
    for (const option of optionNames(inv.args)) {
      if (!options.has(option)) report('cli-command', `drctl ${inv.command} has no option ${option}`);
    }
    if (inv.command === 'posture' || inv.args.includes('--help')) return;
    if (options.has('--config')) {
      // Commands that act on the deployment take their regions from the config, not --region.
      if (optionValue(inv.args, '--config') === undefined) {
        report('explicit-environment', `drctl ${inv.command} does not name its deployment: add --config`);
      }
    } else {
      checkRegion(inv, facts, report, `drctl ${inv.command}`);
    }
    checkProfile(inv, report, `drctl ${inv.command}`);
    checkResolved(inv, report, `drctl ${inv.command}`);
  });
}
