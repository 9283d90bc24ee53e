import type { MarkdownDoc } from '../markdown';
import type { DocOptions, Finding } from '../rule';
import { optionValue } from '../shell';
import { checkProfile, checkRegion, checkResolved, eachInvocation } from './command-support';

/** AWS CLI calls that name no region because there is none to name. */
const REGIONLESS_AWS = new Set(['configure', 'sso']);
/**
 * The runbooks' names for the config's regions, set once per shell with
 * `PRIMARY_REGION=$(jq -r .regions.primary config/default.json)`: a command that uses them is
 * checked against the region they hold, like a literal one.
 */
const REGION_VARIABLES = { $PRIMARY_REGION: 'primary', $STANDBY_REGION: 'standby' } as const;

/** `--region "$PRIMARY_REGION"` reads as the config's primary region, `$STANDBY_REGION` as its standby. */
function configRegion(region: string | undefined, config: DocOptions['config']): string | undefined {
  const role = REGION_VARIABLES[region?.replace(/^\$\{(\w+)\}$/, '$$$1') as keyof typeof REGION_VARIABLES];
  return role ? `${config.regions[role]}` : region;
}

/**
 * A name built from the region variables (`portfolio-paging-$STANDBY_REGION`) reads as the name
 * they spell with the config's regions; a name that still holds another variable (a loop's
 * `$REGION`) is only known at run time, and comes back undefined.
 */
function resolveRegionVariables(name: string, config: DocOptions['config']): string | undefined {
  const resolved = name.replace(/\$\{?(PRIMARY_REGION|STANDBY_REGION)(?!\w)\}?/g, (v) => configRegion(v, config)!);
  return resolved.includes('$') ? undefined : resolved;
}

/** The stack `cdk bootstrap` creates in each region (default qualifier). */
const CDK_TOOLKIT_STACK = 'CDKToolkit';

/**
 * Every `aws` command names its region and profile, reads IDs at run time, and names stacks,
 * outputs and alarms the app has, in the region they live in.
 */
export function awsCommands(doc: MarkdownDoc, { facts, config }: DocOptions): Finding[] {
  return eachInvocation(doc, 'aws', (inv, report) => {
    const what = `aws ${inv.command} ${inv.operation}`.trim();
    if (REGIONLESS_AWS.has(inv.command)) return;
    const region = configRegion(checkRegion(inv, facts, report, what), config);
    checkProfile(inv, report, what);
    checkResolved(inv, report, what);
    const named = optionValue(inv.args, '--stack-name');
    const stack = named === undefined ? undefined : resolveRegionVariables(named, config);
    if (stack !== undefined) {
      const stackRegion = facts.stacks.get(stack);
      if (stack === CDK_TOOLKIT_STACK) {
        // The bootstrap stack: in every region of the app, owned by the CDK rather than the app.
      } else if (!stackRegion) {
        report('unknown-name', `${what} names the stack ${stack}, which the app does not synthesize`);
      } else if (region && !region.startsWith('$') && region !== stackRegion) {
        report('explicit-environment', `${what} looks for ${stack} in ${region}, but it is deployed in ${stackRegion}`);
      }
    }
    for (const m of inv.text.matchAll(/OutputKey\s*==\s*['`]([^'`$]+)['`]/g)) {
      const candidates = stack && facts.outputs.has(stack) ? [stack] : [...facts.outputs.keys()];
      if (!candidates.some((s) => facts.outputs.get(s)!.has(m[1]))) {
        report('unknown-name', `${what} reads the output ${m[1]}, which ${stack ?? 'no stack'} has`);
      }
    }
    for (const flag of ['--alarm-name', '--alarm-names', '--alarm-name-prefix']) {
      const i = inv.args.indexOf(flag);
      if (i < 0) continue;
      for (let j = i + 1; j < inv.args.length && !inv.args[j].startsWith('--'); j++) {
        const name = inv.args[j];
        const alarm = facts.alarms.get(name);
        const prefixMatch = flag === '--alarm-name-prefix' && [...facts.alarms.keys()].some((a) => a.startsWith(name));
        if (!alarm && !prefixMatch) {
          report('unknown-name', `${what} names the alarm ${name}, which the app does not define`);
        } else if (alarm && region && !region.startsWith('$') && alarm.region !== region) {
          report(
            'explicit-environment',
            `${what} looks for the alarm ${name} in ${region}, but it lives in ${alarm.region}`,
          );
        }
      }
    }
  });
}
