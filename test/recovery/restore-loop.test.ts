import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { resetClients } from '../../lambda/handlers/clients';
import { restore, type RestoreEvent } from '../../lambda/handlers/index';
import { deploymentOf } from '../../lib/shared/deployment';
import { definitionOf, execute } from '../support/asl';
import { defaultConfig, sharedTemplates } from '../support/app';

// The restore state machine as synthesized, driven through a small ASL evaluator with the restore
// handler's real outputs, on a fault-injected S3 (aws-sdk-client-mock on every S3Client): the loop
// must end failed when any key failed, in whichever iteration, and every state must stay far below
// Step Functions' 256 KiB payload limit.

const definitions = {
  primary: definitionOf(sharedTemplates().recoveryPrimary),
  standby: definitionOf(sharedTemplates().recoveryStandby),
};
const definition = definitions.primary;
const INSTANT = '2026-01-01T12:00:00Z';
const BEFORE = new Date('2026-01-01T00:00:00Z');
const AFTER = new Date('2026-01-02T00:00:00Z');

/**
 * A versioned bucket of `count` keys, listed as S3 does (key order, newest first, MaxKeys entries a
 * page, markers). Each key has a version after the instant; `restorable` keys also have one before
 * it (to copy back), the others are new (to hide with a delete marker). Keys are built from their
 * index, so 100,000 of them cost no memory.
 */
function fakeBucket(options: {
  count: number;
  key?: (i: number) => string;
  restorable: boolean;
  copyFails?: (key: string) => boolean;
  deleteFails?: (key: string) => boolean;
}) {
  const key = options.key ?? ((i: number) => `k${String(i).padStart(6, '0')}`);
  const perKey = options.restorable ? 2 : 1;
  // Entry 0 is "a-old", a key untouched since before the instant: it validates the instant.
  const entryAt = (n: number) => {
    if (n === 0) return { Key: 'a-old', VersionId: 'old', LastModified: BEFORE, IsLatest: true };
    const i = Math.floor((n - 1) / perKey);
    const newest = (n - 1) % perKey === 0;
    return {
      Key: key(i),
      VersionId: newest ? 'v2' : 'v1',
      LastModified: newest ? AFTER : BEFORE,
      IsLatest: newest,
    };
  };
  const total = 1 + options.count * perKey;
  const indexAfter = (keyMarker?: string, versionIdMarker?: string) => {
    if (keyMarker === undefined) return 0;
    // Binary search over the ordered keys, then past the marker's versions.
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = entryAt(mid);
      if (Buffer.compare(Buffer.from(e.Key), Buffer.from(keyMarker)) <= 0) lo = mid + 1;
      else hi = mid;
    }
    if (versionIdMarker === undefined) return lo;
    let n = lo - 1;
    while (n >= 0 && entryAt(n).Key === keyMarker && entryAt(n).VersionId !== versionIdMarker) n--;
    return n + 1;
  };
  const s3 = mockClient(S3Client);
  const copyFailures: string[] = [];
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [] });
  s3.on(ListObjectVersionsCommand).callsFake((input) => {
    const start = indexAfter(input.KeyMarker, input.VersionIdMarker);
    const end = Math.min(total, start + (input.MaxKeys ?? 1000));
    const entries = Array.from({ length: end - start }, (_, j) => entryAt(start + j));
    const last = entries[entries.length - 1];
    return {
      IsTruncated: end < total,
      NextKeyMarker: end < total ? last.Key : undefined,
      NextVersionIdMarker: end < total ? last.VersionId : undefined,
      Versions: entries.map((e) => ({ ...e, ETag: `"${e.VersionId === 'v1' ? 'a' : 'b'}${'0'.repeat(31)}"`, Size: 3 })),
    };
  });
  s3.on(CopyObjectCommand).callsFake((input) => {
    if (options.copyFails?.(input.Key!)) {
      copyFailures.push(input.Key!);
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    }
    return { VersionId: 'v3', CopyObjectResult: { ETag: `"a${'0'.repeat(31)}"` } };
  });
  s3.on(DeleteObjectsCommand).callsFake((input) => ({
    Errors: input
      .Delete!.Objects!.filter((o: { Key?: string }) => options.deleteFails?.(o.Key!))
      .map((o: { Key?: string }) => ({ Key: o.Key, Code: 'AccessDenied', Message: 'Access Denied' })),
  }));
  return { s3, copyFailures };
}

let mocks: { restore(): void }[] = [];

beforeEach(() => {
  process.env.DR_DEPLOYMENT = JSON.stringify(deploymentOf(defaultConfig()));
  delete process.env.DR_ENDPOINT_URL;
  resetClients();
  const ssm = mockClient(SSMClient);
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'site-bucket' } });
  mocks = [ssm];
});

afterEach(() => {
  for (const m of mocks) m.restore();
  resetClients();
});

/** Run the state machine from its start, each RestoreStep invoking the handler with 100 s left (it pauses after each page). */
async function runMachine(input: RestoreEvent) {
  const outputs: any[] = [];
  const execution = await execute(definition, input, async (name, event) => {
    expect(name).toBe('RestoreStep');
    const output = await restore(event, { getRemainingTimeInMillis: () => 100_000 });
    outputs.push(JSON.parse(JSON.stringify(output)));
    return output;
  });
  return { execution, outputs };
}

describe('restore state machine, driven with the handler', () => {
  test('both regions synthesize the same loop', () => {
    expect(definitions.standby).toEqual(definitions.primary);
  });

  test('failures in the first iteration fail the execution, though the last iteration had none', async () => {
    const bucket = fakeBucket({ count: 30, restorable: true, copyFails: (k) => k === 'k000001' || k === 'k000002' });
    mocks.push(bucket.s3);
    const { execution, outputs } = await runMachine({ bucket: 'primary', to: INSTANT, apply: true, pageSize: 10 });

    expect(outputs.length).toBeGreaterThan(2);
    expect(outputs[0]).toMatchObject({ status: 'paused', totals: { failed: 2 } });
    expect(outputs[0].next.checkpoint.failureSample.map((f: any) => f.key)).toEqual(['k000001', 'k000002']);
    // The failures all happened in the first invocation; the last one copied without any.
    expect(bucket.copyFailures).toEqual(['k000001', 'k000002']);
    const last = outputs[outputs.length - 1];
    expect(last).toMatchObject({ status: 'failed', totals: { copies: 28, failed: 2 } });
    expect(last.failureSample).toEqual([
      { key: 'k000001', operation: 'CopyObject', code: 'AccessDenied', message: 'Access Denied' },
      { key: 'k000002', operation: 'CopyObject', code: 'AccessDenied', message: 'Access Denied' },
    ]);
    expect(execution.path.filter((s) => s === 'ResumeFromCheckpoint')).toHaveLength(outputs.length - 1);
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'RestoreFailed',
      cause:
        'The restore ended "failed" with 2 failed key(s); the RestoreStep output lists the first ones. Run the restore again to finish.',
    });
  });

  test('a restore without failures loops through its pauses and succeeds', async () => {
    mocks.push(fakeBucket({ count: 30, restorable: true }).s3);
    const { execution, outputs } = await runMachine({ bucket: 'primary', to: INSTANT, apply: true, pageSize: 10 });
    expect(outputs.length).toBeGreaterThan(2);
    expect(outputs[outputs.length - 1]).toMatchObject({ status: 'done', totals: { copies: 30, failed: 0 } });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.path[execution.path.length - 1]).toBe('Restored');
  });

  test('100,000 failed keys: the count is exact and every state stays under 16 KiB', async () => {
    mocks.push(fakeBucket({ count: 100_000, restorable: false, deleteFails: () => true }).s3);
    const { execution, outputs } = await runMachine({ bucket: 'primary', to: INSTANT, apply: true, pageSize: 1000 });
    expect(outputs.length).toBeGreaterThan(50);
    const last = outputs[outputs.length - 1];
    expect(last).toMatchObject({ status: 'failed', totals: { deletes: 0, failed: 100_000 } });
    expect(last.failureSample).toHaveLength(10);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'RestoreFailed' });
    expect(execution.cause).toContain('with 100000 failed key(s)');
    expect(execution.largestPayloadBytes).toBeLessThan(16 * 1024);
    const checkpoint = JSON.stringify(outputs[outputs.length - 2].next.checkpoint);
    expect(Buffer.byteLength(checkpoint)).toBeLessThan(4 * 1024);
  }, 120_000);

  test('with S3-maximum 1,024-byte keys and long messages the state stays under a quarter of the limit', async () => {
    const longKey = (i: number) => `k${String(i).padStart(6, '0')}${'x'.repeat(1017)}`;
    const bucket = fakeBucket({ count: 300, key: longKey, restorable: true, copyFails: () => true });
    bucket.s3.on(CopyObjectCommand).rejects(Object.assign(new Error('e'.repeat(5000)), { name: 'InternalError' }));
    mocks.push(bucket.s3);
    const { execution, outputs } = await runMachine({ bucket: 'primary', to: INSTANT, apply: true, pageSize: 100 });
    expect(outputs[outputs.length - 1].totals.failed).toBe(300);
    expect(execution.status).toBe('FAILED');
    expect(execution.largestPayloadBytes).toBeLessThan(64 * 1024);
  });
});

describe('restore state machine choice', () => {
  const decide = (output: unknown) =>
    execute(
      definition,
      output,
      async () => {
        throw new Error('the Choice must not invoke the restore for a finished output');
      },
      { startAt: 'Paused?' },
    );

  test.each([
    [{ status: 'done', totals: { failed: 0 } }, 'SUCCEEDED'],
    [{ status: 'done', totals: { failed: 3 } }, 'FAILED'],
    [{ status: 'failed', totals: { failed: 1 } }, 'FAILED'],
    [{ status: 'unexpected', totals: { failed: 0 } }, 'FAILED'],
  ])('%j ends %s', async (output, status) => {
    expect((await decide(output)).status).toBe(status);
  });

  test('"paused" invokes the restore again with exactly the output\'s next', async () => {
    const next = { bucket: 'primary', to: INSTANT, checkpoint: { position: { keyMarker: 'k' }, validated: true } };
    const inputs: unknown[] = [];
    const execution = await execute(
      definition,
      { status: 'paused', totals: { failed: 4 }, next },
      async (_name, input) => {
        inputs.push(input);
        return { status: 'failed', totals: { failed: 4 } };
      },
      { startAt: 'Paused?' },
    );
    expect(inputs).toEqual([next]);
    expect(execution.path).toEqual(['Paused?', 'ResumeFromCheckpoint', 'RestoreStep', 'Paused?', 'SomeKeysFailed']);
  });
});
