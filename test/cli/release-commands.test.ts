import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { inCliTerms } from '../../cli/release-commands';
import { ssmClient } from '../../lambda/lib/aws';
import { ReleaseInputError } from '../../lambda/lib/release';
import { deploymentOf } from '../../lib/shared/deployment';
import { defaultConfig } from '../support/config';
import { drctl } from '../support/drctl';
import { motoS3, newBucket } from '../../tools/test-support/s3-fixtures';

// drctl publish-release against moto, as an operator runs it from a build directory that also
// holds a .env and a .git folder. Only dry runs: the bucket parameter is shared with other suites.
const endpoint = () => ['--endpoint-url', process.env.MOTO_ENDPOINT!, '--region', 'us-east-1'];

function buildDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drctl-publish-'));
  const write = (rel: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  };
  write('index.html', '<h1>hi</h1>');
  write('assets/site.css', 'body{}');
  write('.env', 'SECRET=1');
  write('.git/config', '[core]');
  return dir;
}

beforeAll(async () => {
  const bucket = await newBucket(motoS3());
  await ssmClient({ endpointUrl: process.env.MOTO_ENDPOINT, region: 'us-east-1' }).send(
    new PutParameterCommand({
      Name: deploymentOf(defaultConfig()).parameters.siteBucket,
      Value: bucket,
      Type: 'String',
      Overwrite: true,
    }),
  );
});

describe('drctl publish-release', () => {
  test('leaves .env and .git/ out and says so', async () => {
    const dir = buildDir();
    const run = await drctl('publish-release', '--dir', dir, '--release', 'r-dot-1', ...endpoint());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Would publish 3 files to s3://');
    expect(run.stdout).toContain(
      'Left out 2 hidden file(s) or folder(s): .env, .git/ (--include-dotfiles publishes them).',
    );
    const json = await drctl('publish-release', '--dir', dir, '--release', 'r-dot-1', '--json', ...endpoint());
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ status: 'planned', skipped: ['.env', '.git/'] });
    expect([...result.keys].sort()).toEqual([
      'releases/r-dot-1/assets/site.css',
      'releases/r-dot-1/healthz',
      'releases/r-dot-1/index.html',
    ]);
  });

  test('--include-dotfiles publishes them too', async () => {
    const run = await drctl(
      'publish-release',
      '--dir',
      buildDir(),
      '--release',
      'r-dot-2',
      '--include-dotfiles',
      '--json',
      ...endpoint(),
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.skipped).toEqual([]);
    expect(result.keys).toEqual(
      expect.arrayContaining(['releases/r-dot-2/.env', 'releases/r-dot-2/.git/config', 'releases/r-dot-2/index.html']),
    );
  });
});

describe('inCliTerms', () => {
  test.each([
    [
      new ReleaseInputError('to: got "../x", expected a release id (letters, digits, . _ -, at most 64)', 'to'),
      '--to: got "../x", expected a release id (letters, digits, . _ -, at most 64)',
    ],
    [
      new ReleaseInputError('no release before "r1" is recorded; name one with "to"', 'to'),
      'no release before "r1" is recorded; name one with --to',
    ],
    [
      new ReleaseInputError(
        'the release has no files but hidden ones (.env); pass "includeDotfiles" to publish them',
        'includeDotfiles',
      ),
      'the release has no files but hidden ones (.env); pass --include-dotfiles to publish them',
    ],
    [
      new ReleaseInputError('release: got "", expected a release id (letters, digits, . _ -, at most 64)', 'release'),
      '--release: got "", expected a release id (letters, digits, . _ -, at most 64)',
    ],
    [new ReleaseInputError('the release has no files'), 'the release has no files'],
  ])('the library names the request field, drctl its flag: %#', (err, expected) => {
    expect(inCliTerms(err)).toBe(expected);
  });
});
