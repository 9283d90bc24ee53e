import { AccountClient } from '@aws-sdk/client-account';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { Command, Option } from 'commander';
import { loadConfig } from '../lib/config';
import { GLOBAL_REGION } from '../lambda/contract/regions';
import { withConfigOption } from './deployment-context';
import { EXIT } from './exit-codes';
import { Output } from './output';
import { readRequiredBootstrap } from './preflight/bootstrap';
import { type PreflightClients, type PreflightReport, runPreflight } from './preflight/preflight';

interface PreflightFlags {
  readonly config: string;
  readonly profile?: string;
  readonly json?: boolean;
  readonly cdkOut: string;
}

/** Read-only clients for preflight, one per service and region, all with the operator's profile. */
function preflightClients(profile: string | undefined): PreflightClients {
  const base = { credentials: profile ? fromIni({ profile }) : undefined, maxAttempts: 3 };
  const perRegion = <T>(make: (region: string) => T) => {
    const made = new Map<string, T>();
    return (region: string) => made.get(region) ?? made.set(region, make(region)).get(region)!;
  };
  return {
    sts: new STSClient({ ...base, region: GLOBAL_REGION }),
    // The Account and Route 53 APIs are global, served from us-east-1.
    account: new AccountClient({ ...base, region: 'us-east-1' }),
    route53: new Route53Client({ ...base, region: 'us-east-1' }),
    cloudFormation: perRegion((region) => new CloudFormationClient({ ...base, region })),
    sns: perRegion((region) => new SNSClient({ ...base, region })),
    apiGateway: perRegion((region) => new APIGatewayClient({ ...base, region })),
  };
}

function render(out: Output, report: PreflightReport): void {
  for (const c of report.checks) {
    out.say(`${c.status === 'pass' ? 'PASS' : 'FAIL'}  ${c.check.padEnd(19)} ${c.subject}: ${c.detail}`);
    if (c.fix) out.say(`      fix: ${c.fix}`);
    if (c.note) out.say(`      note: ${c.note}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  out.say(
    failed === 0
      ? `preflight: all ${report.checks.length} checks passed`
      : `preflight: ${failed} of ${report.checks.length} checks failed; fix them before "cdk deploy"`,
  );
}

/** `drctl preflight`: what a first deploy needs, checked before it starts. Read-only. */
export function preflightCommand(): Command {
  const command = new Command('preflight')
    .description(
      "Check, read-only, what a deploy needs before it starts: the credentials are in the config's account and its regions are enabled; the hosted zone is public and named as configured; the site name and both regional names are free or already this app's; every region is CDK-bootstrapped recently enough for the synthesized app; the alert address is real and, after a deploy, its subscriptions are confirmed. Prints the command that fixes each failure; exit 1 if any.",
    )
    .addOption(new Option('--profile <name>', 'named profile from ~/.aws/config'))
    .addOption(
      new Option('--cdk-out <dir>', 'the synthesized app, for the bootstrap version it needs').default('cdk.out'),
    )
    .addOption(
      new Option('--json', 'print the machine-readable result on stdout (progress and messages go to stderr)'),
    );
  return withConfigOption(command).action(async (flags: PreflightFlags) => {
    const out = new Output(flags.json === true);
    const config = loadConfig(flags.config);
    const report = await runPreflight(
      {
        config,
        configPath: flags.config,
        profile: flags.profile,
        bootstrap: readRequiredBootstrap(flags.cdkOut),
      },
      preflightClients(flags.profile),
    );
    render(out, report);
    out.result(report);
    process.exitCode = report.ok ? EXIT.OK : EXIT.FAILED;
  });
}
