/**
 * commander argument parsers for option values: a bad value is an InvalidArgumentError, which
 * commander reports as `error: option '--wait <seconds>' argument 'x' is invalid. <why>` and main
 * turns into exit 2 (bad usage), before the command does anything.
 */
import * as fs from 'node:fs';
import { InvalidArgumentError } from 'commander';

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
