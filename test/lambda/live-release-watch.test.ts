import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, GetParameterHistoryCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  parseS3ObjectEvent,
  underRelease,
  watchLiveRelease,
  type WatchDeps,
} from '../../lambda/lib/live-release-watch';

const ssmMock = mockClient(SSMClient);
const snsMock = mockClient(SNSClient);
const BUCKET = 'portfolio-site-111111111111-us-east-1';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:portfolio-page-high';
const PARAMETER = '/portfolio/live-release';

const deps = (): WatchDeps => ({
  ssm: new SSMClient({ region: 'us-east-1' }),
  sns: new SNSClient({ region: 'us-east-1' }),
  parameter: PARAMETER,
  topicArn: TOPIC,
  appName: 'portfolio',
  runbook: 'Runbook: docs/runbooks/live-release-changed.md',
});

/**
 * S3 EventBridge events in the shape AWS documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
 */
function created(key: string, reason = 'PutObject', time = '2026-11-30T08:00:05Z') {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '111111111111',
    time,
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${BUCKET}`],
    detail: {
      version: '0',
      bucket: { name: BUCKET },
      object: {
        key,
        size: 5,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
        sequencer: '617f08299329d189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '111111111111',
      'source-ip-address': '1.2.3.4',
      reason,
    },
  };
}

function deleted(key: string, deletionType: 'Delete Marker Created' | 'Permanently Deleted') {
  return {
    version: '0',
    id: '2ee9cc15-d022-99ea-1fb8-1b1bac4850f9',
    'detail-type': 'Object Deleted',
    source: 'aws.s3',
    account: '111111111111',
    time: '2026-11-30T08:00:05Z',
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${BUCKET}`],
    detail: {
      version: '0',
      bucket: { name: BUCKET },
      object: {
        key,
        // A delete marker has a version id of its own; a permanent delete names the version removed.
        'version-id': '1QW9g1Z99LUNbvaaYVpW9xDlOLU.qxgF',
        sequencer: '617f0837b476e463',
      },
      'request-id': '0BH729840619AG5K',
      requester: '111111111111',
      'source-ip-address': '1.2.3.4',
      reason: 'DeleteObject',
      'deletion-type': deletionType,
    },
  };
}

/** The live release is `value`, switched to at `modified`. */
function live(value: string, modified = new Date('2026-11-29T00:00:00Z')) {
  ssmMock.on(GetParameterCommand, { Name: PARAMETER }).resolves({
    Parameter: { Name: PARAMETER, Value: value, Version: 3, LastModifiedDate: modified },
  });
}

const published = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);

beforeEach(() => {
  ssmMock.reset();
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('underRelease', () => {
  test.each([
    ['releases/v2/index.html', true],
    ['releases/v2/', true],
    ['releases/v2/a/b/c.css', true],
    ['releases%2Fv2%2Findex.html', true],
    ['releases%2fv2%2fred+flower.jpg', true],
    ['releases/v2-old/index.html', false],
    ['releases/v2.1/index.html', false],
    ['releases/v1/index.html', false],
    ['releases/v2', false],
    ['other/releases/v2/index.html', false],
    ['releases%2Fv2-old%2Findex.html', false],
  ])('%s is under releases/v2/: %s', (key, expected) => {
    expect(underRelease(key, 'v2')).toBe(expected);
  });

  test('an empty live release covers nothing', () => {
    expect(underRelease('releases//x', '')).toBe(false);
  });
});

describe('parseS3ObjectEvent', () => {
  test('reads the documented fields', () => {
    expect(parseS3ObjectEvent(deleted('releases/v2/a.css', 'Delete Marker Created'))).toEqual({
      id: '2ee9cc15-d022-99ea-1fb8-1b1bac4850f9',
      detailType: 'Object Deleted',
      time: new Date('2026-11-30T08:00:05Z'),
      region: 'us-east-1',
      bucket: BUCKET,
      key: 'releases/v2/a.css',
      versionId: '1QW9g1Z99LUNbvaaYVpW9xDlOLU.qxgF',
      reason: 'DeleteObject',
      deletionType: 'Delete Marker Created',
      requester: '111111111111',
      sourceIp: '1.2.3.4',
    });
  });

  test.each<[string, (e: any) => unknown, string]>([
    ['another source', (e) => ({ ...e, source: 'aws.backup' }), 'S3 event source: got "aws.backup", expected "aws.s3"'],
    [
      'another detail type',
      (e) => ({ ...e, 'detail-type': 'Object Restore Completed' }),
      'S3 event detail-type: got "Object Restore Completed", expected "Object Created" or "Object Deleted"',
    ],
    ['no time', (e) => ({ ...e, time: 'soon' }), 'S3 event time: got "soon", expected an ISO-8601 instant'],
    [
      'no key',
      (e) => ({ ...e, detail: { ...e.detail, object: {} } }),
      'S3 event detail.object.key: got undefined, expected an object key',
    ],
    [
      'an empty key',
      (e) => ({ ...e, detail: { ...e.detail, object: { key: '' } } }),
      'S3 event detail.object.key: got "", expected an object key',
    ],
    [
      'no object at all',
      (e) => ({ ...e, detail: { ...e.detail, object: undefined } }),
      'S3 event detail.object.key: got undefined, expected an object key',
    ],
    [
      'no bucket at all',
      (e) => ({ ...e, detail: { ...e.detail, bucket: undefined } }),
      'S3 event detail.bucket.name: got undefined, expected a bucket name',
    ],
    [
      'no bucket',
      (e) => ({ ...e, detail: { ...e.detail, bucket: { name: 7 } } }),
      'S3 event detail.bucket.name: got 7, expected a bucket name',
    ],
  ])('rejects %s, naming the field and the value', (_name, edit, message) => {
    expect(() => parseS3ObjectEvent(edit(created('releases/v2/a')))).toThrow(message);
  });
});

describe('watchLiveRelease', () => {
  test.each([['PutObject'], ['CopyObject'], ['CompleteMultipartUpload'], ['POST Object']])(
    'a write (%s) under the live release pages high with key, version, requester and source IP',
    async (reason) => {
      live('v2');
      const result = await watchLiveRelease(created('releases/v2/index.html', reason), deps());
      expect(result).toEqual({ outcome: 'paged', key: 'releases/v2/index.html', live: ['v2'], messageId: 'm-1' });
      expect(published()).toEqual([
        {
          TopicArn: TOPIC,
          Subject: 'portfolio: live release v2 changed (us-east-1)',
          Message: [
            `The live release v2 of portfolio changed in us-east-1: an object was written (${reason}) under releases/v2/ of bucket ${BUCKET}. Releases are immutable once published; the site may now serve other content than was released.`,
            'Key: releases/v2/index.html',
            'Version id: IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
            `Event: Object Created (${reason}) at 2026-11-30T08:00:05.000Z in bucket ${BUCKET}, event id 17793124-05d4-b198-2fde-7ededc63b103`,
            'Requester: 111111111111 (the account or AWS service S3 names; the IAM principal is only in CloudTrail data events)',
            'Source IP: 1.2.3.4',
            'Runbook: docs/runbooks/live-release-changed.md',
          ].join('\n'),
        },
      ]);
    },
  );

  test.each([
    ['Delete Marker Created' as const, 'an object was deleted (a delete marker was created)'],
    ['Permanently Deleted' as const, 'an object version was permanently deleted'],
  ])('a delete (%s) under the live release pages', async (deletionType, says) => {
    live('v2');
    const result = await watchLiveRelease(deleted('releases/v2/app.js', deletionType), deps());
    expect(result.outcome).toBe('paged');
    const message = published()[0].Message!;
    expect(message.split('\n')[0]).toBe(
      `The live release v2 of portfolio changed in us-east-1: ${says} under releases/v2/ of bucket ${BUCKET}. Releases are immutable once published; the site may now serve other content than was released.`,
    );
    expect(message).toContain(`Event: Object Deleted (DeleteObject, ${deletionType}) at 2026-11-30T08:00:05.000Z`);
  });

  test('a URL-encoded key under the live release pages, quoting the key as the event carried it', async () => {
    live('v2');
    expect((await watchLiveRelease(created('releases%2Fv2%2Fred+flower.jpg'), deps())).outcome).toBe('paged');
    expect(published()[0].Message).toContain('Key: releases%2Fv2%2Fred+flower.jpg');
  });

  test.each([['releases/v3/index.html'], ['releases/v2-old/index.html'], ['releases/v1/healthz']])(
    'a write under another release (%s), such as a publish, is ignored',
    async (key) => {
      live('v2');
      expect(await watchLiveRelease(created(key), deps())).toEqual({ outcome: 'ignored', key, live: ['v2'] });
      expect(published()).toEqual([]);
    },
  );

  const history = (...versions: [number, string, string][]) =>
    ssmMock.on(GetParameterHistoryCommand, { Name: PARAMETER }).resolves({
      Parameters: versions.map(([Version, Value, at]) => ({ Version, Value, LastModifiedDate: new Date(at) })),
    });

  test('a publish whose event arrives after the switch to it is judged at the event time: ignored', async () => {
    // Published at 08:00:05, switched to v3 at 08:02: the write was to a release not yet live.
    live('v3', new Date('2026-11-30T08:02:00Z'));
    history(
      [1, 'bootstrap', '2026-11-01T00:00:00Z'],
      [2, 'v2', '2026-11-29T00:00:00Z'],
      [3, 'v3', '2026-11-30T08:02:00Z'],
    );
    const result = await watchLiveRelease(created('releases/v3/index.html'), deps());
    expect(result).toEqual({ outcome: 'ignored', key: 'releases/v3/index.html', live: ['v2'] });
  });

  test('a change to the release live at the event time pages even when delivered after a switch away', async () => {
    live('v3', new Date('2026-11-30T08:02:00Z'));
    // History pages: the answer does not depend on where a page ends.
    ssmMock
      .on(GetParameterHistoryCommand, { Name: PARAMETER })
      .resolvesOnce({
        Parameters: [{ Version: 3, Value: 'v3', LastModifiedDate: new Date('2026-11-30T08:02:00Z') }],
        NextToken: 't',
      })
      .resolvesOnce({
        Parameters: [
          { Version: 1, Value: 'bootstrap', LastModifiedDate: new Date('2026-11-01T00:00:00Z') },
          { Version: 2, Value: 'v2', LastModifiedDate: new Date('2026-11-29T00:00:00Z') },
        ],
      });
    expect((await watchLiveRelease(created('releases/v2/index.html'), deps())).outcome).toBe('paged');
    expect(published()[0].Subject).toBe('portfolio: live release v2 changed (us-east-1)');
  });

  test('a switch within the event second: both releases count as live', async () => {
    live('v3', new Date('2026-11-30T08:00:05.400Z'));
    history([2, 'v2', '2026-11-29T00:00:00Z'], [3, 'v3', '2026-11-30T08:00:05.400Z']);
    const v2 = await watchLiveRelease(created('releases/v2/a'), deps());
    const v3 = await watchLiveRelease(created('releases/v3/a'), deps());
    expect([v2.outcome, v3.outcome]).toEqual(['paged', 'paged']);
    expect(v3.live).toEqual(['v2', 'v3']);
  });

  test('fail safe: SSM failing pages "live release unknown" with the key and the error', async () => {
    ssmMock
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));
    const result = await watchLiveRelease(created('releases/v9/index.html'), deps());
    expect(result).toEqual({ outcome: 'unknown', key: 'releases/v9/index.html', messageId: 'm-1' });
    const [page] = published();
    expect(page.Subject).toBe('portfolio: live release unknown (us-east-1)');
    expect(page.Message!.split('\n')).toEqual([
      'The live release of portfolio in us-east-1 could not be read (ThrottlingException: Rate exceeded), so this change under releases/ pages in case it changed the live release.',
      'Key: releases/v9/index.html',
      'Version id: IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
      `Event: Object Created (PutObject) at 2026-11-30T08:00:05.000Z in bucket ${BUCKET}, event id 17793124-05d4-b198-2fde-7ededc63b103`,
      'Requester: 111111111111 (the account or AWS service S3 names; the IAM principal is only in CloudTrail data events)',
      'Source IP: 1.2.3.4',
      'Check which release is live (npx drctl status) and whether this key is under it.',
      'Runbook: docs/runbooks/live-release-changed.md',
    ]);
  });

  test('fail safe: a history that no longer reaches back to the event time pages "live release unknown"', async () => {
    live('v200', new Date('2026-11-30T09:00:00Z'));
    history([101, 'v101', '2026-11-30T08:30:00Z'], [200, 'v200', '2026-11-30T09:00:00Z']);
    const result = await watchLiveRelease(created('releases/v2/a'), deps());
    expect(result.outcome).toBe('unknown');
    expect(published()[0].Message).toContain(
      `could not be read (Error: parameter ${PARAMETER}: its retained history (versions 101 to 200) starts after 2026-11-30T08:00:05.000Z)`,
    );
  });

  test('a write before the parameter existed (version 1 is newer) was to no live release: ignored', async () => {
    live('bootstrap', new Date('2026-11-30T09:00:00Z'));
    history([1, 'bootstrap', '2026-11-30T09:00:00Z']);
    expect(await watchLiveRelease(created('releases/bootstrap/a'), deps())).toEqual({
      outcome: 'ignored',
      key: 'releases/bootstrap/a',
      live: [],
    });
  });

  test('the lifecycle expiring a noncurrent version (the bounded history) is ignored, without reading SSM', async () => {
    const event = deleted('releases/v2/app.js', 'Permanently Deleted');
    event.detail.reason = 'Lifecycle Expiration';
    expect(await watchLiveRelease(event, deps())).toEqual({ outcome: 'ignored', key: 'releases/v2/app.js' });
    expect(ssmMock.calls()).toHaveLength(0);
    expect(published()).toEqual([]);
  });

  test('a switch at exactly the event time: the release switched to is the one live then', async () => {
    live('v3', new Date('2026-11-30T08:02:00Z'));
    history([1, 'v1', '2026-11-01T00:00:00Z'], [2, 'v2', '2026-11-30T08:00:05Z'], [3, 'v3', '2026-11-30T08:02:00Z']);
    const result = await watchLiveRelease(created('releases/v2/a'), deps());
    expect(result).toEqual({ outcome: 'paged', key: 'releases/v2/a', live: ['v2'], messageId: 'm-1' });
  });

  test('a switch at exactly the end of the event second is after the event: not live then', async () => {
    live('v3', new Date('2026-11-30T08:00:06Z'));
    history([2, 'v2', '2026-11-29T00:00:00Z'], [3, 'v3', '2026-11-30T08:00:06Z']);
    expect(await watchLiveRelease(created('releases/v3/a'), deps())).toEqual({
      outcome: 'ignored',
      key: 'releases/v3/a',
      live: ['v2'],
    });
  });

  test('history returned newest first is replayed oldest first', async () => {
    live('v3', new Date('2026-11-30T08:02:00Z'));
    history(
      [3, 'v3', '2026-11-30T08:02:00Z'],
      [2, 'v2', '2026-11-29T00:00:00Z'],
      [1, 'bootstrap', '2026-11-01T00:00:00Z'],
    );
    expect((await watchLiveRelease(created('releases/v2/a'), deps())).live).toEqual(['v2']);
  });

  test('switched at the event time itself: one read, no history', async () => {
    live('v2', new Date('2026-11-30T08:00:05Z'));
    expect((await watchLiveRelease(created('releases/v2/a'), deps())).outcome).toBe('paged');
    expect(ssmMock.commandCalls(GetParameterHistoryCommand)).toHaveLength(0);
  });

  test('a parameter without a modification date is taken as live since before the event', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: 'v2' } });
    expect((await watchLiveRelease(created('releases/v2/a'), deps())).outcome).toBe('paged');
    expect(ssmMock.commandCalls(GetParameterHistoryCommand)).toHaveLength(0);
  });

  test('a parameter answer without a parameter covers no release: ignored', async () => {
    ssmMock.on(GetParameterCommand).resolves({});
    expect(await watchLiveRelease(created('releases/v2/a'), deps())).toEqual({
      outcome: 'ignored',
      key: 'releases/v2/a',
      live: [''],
    });
  });

  test('fail safe: an empty history after a later switch pages "live release unknown"', async () => {
    live('v3', new Date('2026-11-30T09:00:00Z'));
    ssmMock.on(GetParameterHistoryCommand).resolves({ Parameters: [] });
    expect((await watchLiveRelease(created('releases/v2/a'), deps())).outcome).toBe('unknown');
    expect(published()[0].Message).toContain('its retained history (versions ? to ?) starts after');
  });

  test('a delete without a deletion type says so', async () => {
    live('v2');
    const event: any = deleted('releases/v2/a', 'Delete Marker Created');
    delete event.detail['deletion-type'];
    await watchLiveRelease(event, deps());
    expect(published()[0].Message!.split('\n')[0]).toContain(
      'an object was deleted (deletion type not given) under releases/v2/',
    );
  });

  test('SNS failing throws, so the invocation fails, Lambda retries it and the errors alarm pages', async () => {
    live('v2');
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    await expect(watchLiveRelease(created('releases/v2/a'), deps())).rejects.toThrow('denied');
  });

  test('an event that is not an S3 object event throws, naming the field', async () => {
    await expect(watchLiveRelease({ source: 'aws.s3', 'detail-type': 'Object Tagging' }, deps())).rejects.toThrow(
      'S3 event detail-type: got "Object Tagging", expected "Object Created" or "Object Deleted"',
    );
    expect(published()).toEqual([]);
  });

  test('the subject stays printable ASCII and within 100 characters', async () => {
    live('v2');
    await watchLiveRelease(created('releases/v2/a'), { ...deps(), appName: `pörtfolio-${'x'.repeat(120)}` });
    const subject = published()[0].Subject!;
    expect(subject).toHaveLength(100);
    expect(subject.startsWith('p?rtfolio-x')).toBe(true);
  });
});
