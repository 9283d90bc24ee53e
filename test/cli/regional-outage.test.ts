import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { ssmClient } from '../../lambda/lib/aws';
import { deploymentOf } from '../../lib/shared/deployment';
import { allVersions, contents, motoS3, newBucket, put } from '../../tools/test-support/s3-fixtures';
import { defaultConfig } from '../support/config';
import { drctl } from '../support/drctl';

// docs/runbooks/regional-outage.md against moto: with the primary region down, a release is
// published to the standby alone (replication runs primary -> standby only, so it stays there);
// when the primary returns, verify-replication from the standby to the primary copies it back, and
// the primary ends with the standby's content and every version it had before.
// The app is named "outage" so that its SSM parameters are its own on the shared moto server.

const s3 = motoS3();
const config = { ...defaultConfig(), appName: 'outage' };
const deployment = deploymentOf(config);
const moto = () => ['--endpoint-url', process.env.MOTO_ENDPOINT!];
let configPath: string;
let primary: string;
let standby: string;

function buildDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drctl-outage-'));
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

beforeAll(async () => {
  configPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outage-config-')), 'outage.json');
  fs.writeFileSync(configPath, JSON.stringify(config));
  primary = await newBucket(s3);
  standby = await newBucket(s3);
  // Release r1, published before the outage and replicated.
  for (const bucket of [primary, standby]) {
    await put(s3, bucket, 'releases/r1/index.html', '<h1>r1</h1>', { ContentType: 'text/html; charset=utf-8' });
    await put(s3, bucket, 'releases/r1/healthz', 'portfolio-ok release=r1\n');
  }
  for (const [role, bucket] of [
    ['primary', primary],
    ['standby', standby],
  ] as const) {
    await ssmClient({ endpointUrl: process.env.MOTO_ENDPOINT, region: deployment.regions[role] }).send(
      new PutParameterCommand({
        Name: deployment.parameters.siteBucket,
        Value: bucket,
        Type: 'String',
        Overwrite: true,
      }),
    );
  }
});

test('publish to the standby while the primary is down, then reconcile the primary from the standby', async () => {
  const primaryBefore = await allVersions(s3, primary);
  const dir = buildDir({ 'index.html': '<h1>r2</h1>', 'assets/site.css': 'body{}' });
  const publish = (...extra: string[]) =>
    drctl(
      'publish-release',
      '--config',
      configPath,
      '--dir',
      dir,
      '--release',
      'r2',
      '--only',
      'standby',
      '--json',
      ...extra,
      ...moto(),
    );

  // Dry run, then the upload: into the standby bucket, nothing into the primary.
  expect(JSON.parse((await publish()).stdout)).toMatchObject({ status: 'planned', bucket: standby });
  expect(Object.keys(await contents(s3, standby, 'releases/r2/'))).toEqual([]);
  const published = await publish('--apply');
  expect(published.code).toBe(0);
  expect(JSON.parse(published.stdout)).toMatchObject({ status: 'done', bucket: standby });
  expect(await contents(s3, standby, 'releases/r2/')).toEqual({
    'releases/r2/assets/site.css': 'body{}',
    'releases/r2/healthz': 'portfolio-ok release=r2\n',
    'releases/r2/index.html': '<h1>r2</h1>',
  });
  expect(await allVersions(s3, primary)).toEqual(primaryBefore);
  // A second publish of the same id is refused: releases are immutable.
  const again = await publish('--apply');
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('drctl publish-release: release "r2" already exists: releases are immutable');

  // The primary is back. Reverse direction: the standby is the source, the primary the replica.
  const reconcile = (...extra: string[]) =>
    drctl(
      'verify-replication',
      '--region',
      'us-west-2',
      '--replica-region',
      'us-east-1',
      '--source',
      standby,
      '--replica',
      primary,
      '--json',
      ...extra,
      ...moto(),
    );
  const dry = await reconcile();
  expect(dry.code).toBe(1);
  expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'drift', counts: { missing: 3, extra: 0, copied: 0 } });
  expect(await allVersions(s3, primary)).toEqual(primaryBefore);

  const applied = await reconcile('--apply');
  expect(applied.code).toBe(0);
  expect(JSON.parse(applied.stdout)).toMatchObject({ status: 'repaired', counts: { missing: 3, copied: 3 } });
  expect(await contents(s3, primary)).toEqual(await contents(s3, standby));
  // History kept: every version the primary had is still there, with its id.
  const primaryAfter = await allVersions(s3, primary);
  for (const v of primaryBefore) expect(primaryAfter).toContainEqual(v);
  expect(primaryAfter).toHaveLength(primaryBefore.length + 3);

  // Second run: nothing to do. The usual direction agrees, so failback's content check passes.
  const second = await reconcile();
  expect(second.code).toBe(0);
  expect(JSON.parse(second.stdout)).toMatchObject({ status: 'in-sync', counts: { copied: 0 } });
  const forward = await drctl(
    'verify-replication',
    '--region',
    'us-east-1',
    '--replica-region',
    'us-west-2',
    '--source',
    primary,
    '--replica',
    standby,
    '--json',
    ...moto(),
  );
  expect(JSON.parse(forward.stdout)).toMatchObject({ status: 'in-sync' });
});
