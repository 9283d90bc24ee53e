import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import type { RegionRole } from '../lambda/contract/regions';
import {
  contentTypeFor,
  publishRelease,
  type ReleaseFile,
  ReleaseInputError,
  switchRelease,
} from '../lambda/lib/release';
import { withApply, withCommonOptions } from './common-options';
import { deploymentContext, type DeploymentFlags, withConfigOption } from './deployment-context';
import { EXIT } from './exit-codes';
import { parseDirectory, parseReleaseId } from './option-parsers';
import { Output } from './output';

function readDir(dir: string): ReleaseFile[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      return {
        path: path.relative(dir, full).split(path.sep).join('/'),
        body: fs.readFileSync(full),
        contentType: contentTypeFor(e.name),
      };
    });
}

/**
 * `--only <role>`: act on one region only, for a region that is down (its API is not called at all).
 * See docs/runbooks/regional-outage.md.
 */
function onlyOption(what: string): Option {
  return new Option('--only <role>', what).choices(['primary', 'standby']);
}

interface RollbackFlags extends DeploymentFlags {
  readonly to?: string;
  readonly only?: RegionRole;
  readonly apply?: boolean;
}

/** `drctl rollback-release`: make another (default: the previous) release live in both regions. */
export function rollbackReleaseCommand(): Command {
  const command = new Command('rollback-release')
    .description(
      "Make another release live in both regions in seconds (default: the previous live release), then fetch each region's /healthz and home page until they serve it. Also rolls forward: --to <new release>.",
    )
    .option('--to <release>', 'the release to make live (default: the one live before the current)', parseReleaseId)
    .addOption(
      onlyOption(
        "switch this region only, without calling the other (standby: the primary region is down; the default previous release is read from the standby's parameter history)",
      ),
    );
  return withApply(withConfigOption(withCommonOptions(command))).action(async (flags: RollbackFlags) => {
    const out = new Output(flags.json === true);
    const ctx = deploymentContext(flags);
    try {
      const result = await switchRelease({ to: flags.to, apply: flags.apply === true, only: flags.only }, ctx);
      out.say(
        `${result.status}: ${result.message} (was ${result.from.primary} / ${result.from.standby}; ${result.seconds.toFixed(1)} s)`,
      );
      for (const role of ['primary', 'standby'] as const) out.say(`  ${role}: ${result.validation[role].detail}`);
      out.result(result);
      process.exitCode = result.status === 'failed' ? EXIT.FAILED : EXIT.OK;
    } catch (err) {
      if (!(err instanceof ReleaseInputError)) throw err;
      out.error(`drctl rollback-release: ${inCliTerms(err)}`);
      process.exitCode = EXIT.USAGE;
    }
  });
}

interface PublishFlags extends DeploymentFlags {
  readonly dir: string;
  readonly release: string;
  readonly apply?: boolean;
  readonly includeDotfiles?: boolean;
  readonly only?: RegionRole;
}

/** `drctl publish-release`: upload a directory as a new, immutable release (does not make it live). */
export function publishReleaseCommand(): Command {
  const command = new Command('publish-release')
    .description(
      'Upload a directory as releases/<id>/ in the primary bucket, with its healthz; replication copies it to the standby (with --only standby: in the standby bucket, which replicates nowhere). Does not make it live: run rollback-release --to <id> for that.',
    )
    .requiredOption('--dir <path>', 'the built site', parseDirectory)
    .requiredOption('--release <id>', 'a new release id, e.g. 2026-11-28.1', parseReleaseId)
    .option(
      '--include-dotfiles',
      'also publish files and directories whose name starts with "." (left out by default: .env, .git/ and the like)',
    )
    .addOption(
      onlyOption(
        'the region whose bucket receives the release (default: primary). standby while the primary region is down: copy it back with verify-replication before failing back',
      ),
    );
  return withApply(withConfigOption(withCommonOptions(command))).action(async (flags: PublishFlags) => {
    const out = new Output(flags.json === true);
    const ctx = deploymentContext(flags);
    try {
      const result = await publishRelease(
        {
          release: flags.release,
          files: readDir(flags.dir),
          apply: flags.apply === true,
          includeDotfiles: flags.includeDotfiles === true,
          only: flags.only,
        },
        ctx,
      );
      out.say(
        `${result.status === 'done' ? 'Published' : 'Would publish'} ${result.keys.length} files to s3://${result.bucket}/releases/${result.release}/`,
      );
      if (result.skipped.length > 0) {
        out.say(
          `Left out ${result.skipped.length} hidden file(s) or folder(s): ${result.skipped.join(', ')} (--include-dotfiles publishes them).`,
        );
      }
      if (result.status === 'planned') out.say('Run again with --apply to upload.');
      out.result(result);
      process.exitCode = EXIT.OK;
    } catch (err) {
      if (!(err instanceof ReleaseInputError)) throw err;
      out.error(`drctl publish-release: ${inCliTerms(err)}`);
      process.exitCode = EXIT.USAGE;
    }
  });
}

/** drctl's flag for each field of a release request. */
const FLAGS = { to: '--to', release: '--release', includeDotfiles: '--include-dotfiles', only: '--only' } as const;

/** The library names its request's fields (`to: got ...`, `with "to"`); drctl names its flags. */
export function inCliTerms(err: ReleaseInputError): string {
  if (err.field === undefined) return err.message;
  const flag = FLAGS[err.field];
  return err.message.replace(new RegExp(`^${err.field}:`), `${flag}:`).replaceAll(`"${err.field}"`, flag);
}
