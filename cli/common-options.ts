import { type Command, Option } from 'commander';
import type { AwsOptions } from '../lambda/lib/aws';
import { parseEndpointUrl } from './endpoint-url';

/** Flags every AWS-facing drctl command takes. */
export interface CommonFlags {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly json?: boolean;
}

export function withCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('--region <region>', 'AWS region to call (default: from the environment or profile)'))
    .addOption(new Option('--profile <name>', 'named profile from ~/.aws/config'))
    .addOption(
      new Option(
        '--endpoint-url <url>',
        'S3-compatible or emulated endpoint: https, or http on a loopback address, e.g. http://127.0.0.1:5000',
      ).argParser(parseEndpointUrl),
    )
    .addOption(
      new Option('--json', 'print the machine-readable result on stdout (progress and messages go to stderr)'),
    );
}

/** A command that writes: a dry run unless --apply. */
export function withApply(command: Command): Command {
  return command.addOption(new Option('--apply', 'carry out the plan (without it, nothing is written)'));
}

export function awsOptions(flags: CommonFlags): AwsOptions {
  return { region: flags.region, profile: flags.profile, endpointUrl: flags.endpointUrl };
}
