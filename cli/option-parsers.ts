/**
 * commander argument parsers for option values: a bad value is an InvalidArgumentError, which
 * commander reports as `error: option '--wait <seconds>' argument 'x' is invalid. <why>` and main
 * turns into exit 2 (bad usage), before the command does anything.
 */
import * as fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parseInstant } from '../lambda/lib/instant';
import { RELEASE_ID } from '../lambda/lib/release';

/** A whole, non-negative number of seconds. */
export function parseWholeSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isInteger(seconds) || seconds < 0) {
    throw new InvalidArgumentError('expected a whole number of seconds');
  }
  return seconds;
}

/** A path to an existing directory. */
export function parseDirectory(value: string): string {
  if (!fs.existsSync(value) || !fs.statSync(value).isDirectory()) {
    throw new InvalidArgumentError('not a directory');
  }
  return value;
}

/**
 * An ISO-8601 instant with a UTC offset (`--to` of restore), checked by the playbooks' own parser
 * (lambda/lib/instant.ts) so drctl and the Lambda accept exactly the same instants.
 */
export function parseInstantOption(value: string): Date {
  const instant = parseInstant('instant', value);
  if (typeof instant === 'string') {
    throw new InvalidArgumentError(
      'expected an ISO-8601 instant with a UTC offset, e.g. 2026-11-28T10:00:00Z or 2026-11-28T11:00:00+01:00',
    );
  }
  return instant;
}

/** A release id (`--to` of rollback-release, `--release` of publish-release), as the library accepts it. */
export function parseReleaseId(value: string): string {
  if (!RELEASE_ID.test(value)) {
    throw new InvalidArgumentError('expected a release id (letters, digits, . _ -, at most 64)');
  }
  return value;
}
