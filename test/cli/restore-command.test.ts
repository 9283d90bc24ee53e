import { contents, del, motoS3, newBucket, nextSecond, put } from '../../tools/test-support/s3-fixtures';
import { drctl } from '../support/drctl';

const s3 = motoS3();
const endpoint = () => ['--endpoint-url', process.env.MOTO_ENDPOINT!, '--region', 'us-east-1'];

describe('drctl restore (moto)', () => {
  test('dry run, then --apply, then a re-run that does nothing, as an operator runs it', async () => {
    const bucket = await newBucket(s3);
    await put(s3, bucket, 'index.html', 'good');
    await put(s3, bucket, 'cv.pdf', 'cv');
    const instant = await nextSecond();
    await put(s3, bucket, 'index.html', 'defaced');
    await del(s3, bucket, 'cv.pdf');

    const dry = await drctl('restore', '--bucket', bucket, '--to', instant.toISOString(), ...endpoint());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Planning (dry run, nothing is written) s3://${bucket}/ to ${instant.toISOString()}`);
    expect(dry.stdout).toContain('  copy   cv.pdf <- version ');
    expect(dry.stdout).toContain('Would copy 2 key(s) back');
    expect(dry.stdout).toContain('Run again with --apply to carry it out.');
    expect(await contents(s3, bucket)).toEqual({ 'index.html': 'defaced' });

    const applied = await drctl('restore', '--bucket', bucket, '--to', instant.toISOString(), '--apply', ...endpoint());
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Copied 2 key(s) back');
    expect(await contents(s3, bucket)).toEqual({ 'index.html': 'good', 'cv.pdf': 'cv' });

    const again = await drctl(
      'restore',
      '--bucket',
      bucket,
      '--to',
      instant.toISOString(),
      '--apply',
      '--json',
      ...endpoint(),
    );
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({ status: 'done', dryRun: false, totals: { copies: 0, deletes: 0 } });
    expect(result.calls).toEqual({ GetBucketLifecycleConfiguration: 1, GetBucketVersioning: 1, ListObjectVersions: 1 });
  });

  test('an instant with an offset is read as that instant', async () => {
    const bucket = await newBucket(s3);
    await put(s3, bucket, 'a', 'x');
    const r = await drctl('restore', '--bucket', bucket, '--to', '2001-01-01T01:00:00+01:00', '--json', ...endpoint());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the instant 2001-01-01T00:00:00.000Z is before the first version');
  });

  test('a missing required flag is bad usage: exit 2', async () => {
    const r = await drctl('restore', '--to', '2026-01-01T00:00:00Z');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--bucket <name>' not specified");
  });

  test('an unversioned bucket: exit 2 with the reason', async () => {
    const bucket = await newBucket(s3, { versioned: false });
    const r = await drctl('restore', '--bucket', bucket, '--to', '2020-01-01T00:00:00Z', ...endpoint());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bucket "${bucket}" is not versioned`);
  });
});
