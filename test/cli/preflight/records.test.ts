import { ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { checkName, CUTOVER_SECTION, listRecordsAt } from '../../../cli/preflight/records';
import { runPreflight } from '../../../cli/preflight/preflight';
import { awsError, config, deployedRecords, mockedClients, rec, REQUIRED, TARGETS } from './fixtures';

const dnsChecks = async (records: ResourceRecordSet[], opts: { deployed?: boolean } = {}) => {
  const { clients, mocks } = mockedClients({ records, ...opts });
  const report = await runPreflight(
    {
      config: config(),
      configPath: 'config/default.json',
      profile: 'dr-operator',
      bootstrap: REQUIRED,
      recordPageSize: 2,
    },
    clients,
  );
  return { checks: report.checks.filter((c) => c.check === 'dns-name'), mocks, report };
};

describe('listRecordsAt', () => {
  // Route 53 holds one record set per name and type (and SetIdentifier): five at www.
  const records = [
    rec.simpleA('a.example.com'),
    rec.failoverA('www.example.com', 'PRIMARY', 'p', 'x.example.net'),
    rec.failoverA('www.example.com', 'SECONDARY', 's', 'y.example.net'),
    rec.aaaa('www.example.com'),
    { ...rec.txt('www.example.com', 'v'), Type: 'MX' as const, ResourceRecords: [{ Value: '10 mx.example.net.' }] },
    rec.txt('www.example.com', 'one'),
    rec.cname('_acm.www.example.com', 'v.acm-validations.aws.'),
    rec.simpleA('us-east-1.www.example.com'),
  ];

  test.each([1, 2, 3, 5, 300])(
    'returns every record at the name and none of another, in as few pages as the page size allows (%i)',
    async (pageSize) => {
      const { clients, mocks } = mockedClients({ records });
      const found = await listRecordsAt(clients.route53, 'Z0000000EXAMPLE0000', 'www.example.com', pageSize);
      expect(found.map((r) => `${r.Type} ${r.SetIdentifier ?? ''}`)).toEqual(['A p', 'A s', 'AAAA ', 'MX ', 'TXT ']);
      // It stops at the first record, or next page, of another name: the rest of the zone is not listed.
      expect(mocks.zone.calls).toHaveLength(Math.ceil(5 / Math.min(pageSize, 5)));
    },
  );

  test('passes NextRecordName, NextRecordType and NextRecordIdentifier back as the next start', async () => {
    const { clients, mocks } = mockedClients({ records });
    await listRecordsAt(clients.route53, 'Z0000000EXAMPLE0000', 'www.example.com', 1);
    expect(mocks.zone.calls.map((c) => [c.StartRecordName, c.StartRecordType, c.StartRecordIdentifier])).toEqual([
      ['www.example.com', undefined, undefined],
      ['www.example.com.', 'A', 's'],
      ['www.example.com.', 'AAAA', undefined],
      ['www.example.com.', 'MX', undefined],
      ['www.example.com.', 'TXT', undefined],
    ]);
  });

  test('a name without records: one call, nothing found', async () => {
    const { clients, mocks } = mockedClients({ records });
    expect(await listRecordsAt(clients.route53, 'Z0000000EXAMPLE0000', 'b.example.com')).toEqual([]);
    expect(mocks.zone.calls).toHaveLength(1);
  });

  test('an answer that does not move on is an error, not an endless loop', async () => {
    const { clients, mocks } = mockedClients();
    mocks.route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [rec.txt('www.example.com', 'x')],
      IsTruncated: true,
      NextRecordName: 'www.example.com',
      MaxItems: 1,
    });
    await expect(listRecordsAt(clients.route53, 'Z0000000EXAMPLE0000', 'www.example.com')).rejects.toThrow(
      'ListResourceRecordSets did not advance past {"StartRecordName":"www.example.com"}',
    );
  });
});

describe('the site name and the regional names', () => {
  test('before the first deploy, an empty zone: all three names are free', async () => {
    const { checks } = await dnsChecks([]);
    expect(checks).toEqual([
      {
        check: 'dns-name',
        subject: 'www.example.com (site name, failover records)',
        status: 'pass',
        detail: 'free: no A, AAAA or CNAME record at the name',
      },
      {
        check: 'dns-name',
        subject: 'us-east-1.www.example.com (regional name of the primary, us-east-1)',
        status: 'pass',
        detail: 'free: no A, AAAA or CNAME record at the name',
      },
      {
        check: 'dns-name',
        subject: 'us-west-2.www.example.com (regional name of the standby, us-west-2)',
        status: 'pass',
        detail: 'free: no A, AAAA or CNAME record at the name',
      },
    ]);
  });

  test("after a deploy, the app's own records hold the names (failover pair by SetIdentifier, aliases by target)", async () => {
    const { checks } = await dnsChecks(deployedRecords(), { deployed: true });
    expect(checks.map((c) => [c.status, c.detail, c.note])).toEqual([
      [
        'pass',
        `held by this app: failover PRIMARY A (SetIdentifier "primary-us-east-1") -> alias ${TARGETS.sitePrimary}; failover SECONDARY A (SetIdentifier "standby-us-west-2") -> alias ${TARGETS.siteStandby}`,
        'also holds TXT records, which do not conflict',
      ],
      ['pass', `held by this app: simple A -> alias ${TARGETS.primary}`, undefined],
      ['pass', `held by this app: simple A -> alias ${TARGETS.standby}`, undefined],
    ]);
  });

  test('records left beside the failover pair are found on later pages: an AAAA on page 2 fails the name', async () => {
    const records = [
      rec.failoverA('www.example.com', 'PRIMARY', 'primary-us-east-1', TARGETS.sitePrimary),
      rec.failoverA('www.example.com', 'SECONDARY', 'standby-us-west-2', TARGETS.siteStandby),
      rec.aaaa('www.example.com'),
      rec.txt('www.example.com', 'v'),
    ];
    const { checks, mocks } = await dnsChecks(records, { deployed: true });
    expect(checks[0]).toMatchObject({
      status: 'fail',
      detail:
        'simple AAAA -> 2001:db8::10: does not stop the deploy, but IPv6 clients would keep reaching it, bypassing this app and its failover',
    });
    expect(mocks.zone.calls.filter((c) => c.StartRecordName?.startsWith('www')).map((c) => c.StartRecordType)).toEqual([
      undefined,
      'AAAA',
    ]);
  });

  test('a site already live on the name (simple A and AAAA) fails, with the cutover and the exact delete', async () => {
    const records = [rec.simpleA('www.example.com'), rec.aaaa('www.example.com'), rec.txt('www.example.com', 'a')];
    const { checks } = await dnsChecks(records);
    expect(checks[0]).toEqual({
      check: 'dns-name',
      subject: 'www.example.com (site name, failover records)',
      status: 'fail',
      detail:
        "simple A -> 192.0.2.10: Route 53 refuses this app's failover A records next to an A record with another routing policy or owner; " +
        'simple AAAA -> 2001:db8::10: does not stop the deploy, but IPv6 clients would keep reaching it, bypassing this app and its failover',
      fix:
        `the name serves a site: cut over as in ${CUTOVER_SECTION} (least downtime, and the way back). Only if nothing is served there: ` +
        `aws route53 change-resource-record-sets --region us-east-1 --profile dr-operator --hosted-zone-id Z0000000EXAMPLE0000 --change-batch '${JSON.stringify(
          {
            Comment: 'drctl preflight: free www.example.com for the DR stacks',
            Changes: [
              { Action: 'DELETE', ResourceRecordSet: rec.simpleA('www.example.com') },
              { Action: 'DELETE', ResourceRecordSet: rec.aaaa('www.example.com') },
            ],
          },
        )}'`,
    });
  });

  test('a CNAME at a regional name blocks it; the fix deletes exactly that record', async () => {
    const records = [rec.cname('us-east-1.www.example.com', 'old-host.example.net.'), rec.txt('www.example.com', 'x')];
    const { checks } = await dnsChecks(records);
    expect(checks[1]).toMatchObject({
      status: 'fail',
      detail:
        "simple CNAME -> old-host.example.net.: a CNAME excludes every other record at its name, so Route 53 refuses this app's A record",
    });
    expect(checks[1].fix).toMatch(
      /^if nothing uses these records, delete them \(the change is atomic; save them first with the list in docs\/runbooks\/deploy\.md#c-first-deploy-onto-a-name-that-is-already-live\): aws route53 change-resource-record-sets --region us-east-1 --profile dr-operator --hosted-zone-id Z0000000EXAMPLE0000 --change-batch '\{"Comment".*"Action":"DELETE".*\}'$/,
    );
  });

  test.each([
    [
      'a CNAME at the site name',
      rec.cname('www.example.com', 'portfolio.netlify.app.'),
      "simple CNAME -> portfolio.netlify.app.: a CNAME excludes every other record at its name, so Route 53 refuses this app's A records",
    ],
    [
      'a failover record of another owner',
      rec.failoverA('www.example.com', 'PRIMARY', 'old-primary', 'old.example.net'),
      'failover PRIMARY A (SetIdentifier "old-primary") -> alias old.example.net: Route 53 refuses this app\'s failover A records next to an A record with another routing policy or owner',
    ],
    [
      "this app's SetIdentifier on the wrong side of the pair",
      rec.failoverA('www.example.com', 'SECONDARY', 'primary-us-east-1', 'old.example.net'),
      'failover SECONDARY A (SetIdentifier "primary-us-east-1") -> alias old.example.net: Route 53 refuses this app\'s failover A records next to an A record with another routing policy or owner',
    ],
    [
      'a weighted A record',
      { ...rec.simpleA('www.example.com'), SetIdentifier: 'blue', Weight: 10 },
      'weighted A (SetIdentifier "blue") -> 192.0.2.10: Route 53 refuses this app\'s failover A records next to an A record with another routing policy or owner',
    ],
    [
      'a delegation of the site name',
      rec.ns('www.example.com'),
      "simple NS -> ns1.other-dns.example.: the name is delegated to other name servers, so resolvers would never see this app's records",
    ],
  ])('%s blocks the site name', async (_, record, detail) => {
    const { checks } = await dnsChecks([record]);
    expect(checks[0]).toMatchObject({ status: 'fail', detail });
  });

  test("an alias A at a regional name that points elsewhere is not this app's", async () => {
    const { checks } = await dnsChecks(
      [rec.aliasA('us-west-2.www.example.com', 'd-other999.execute-api.us-west-2.amazonaws.com')],
      {
        deployed: true,
      },
    );
    expect(checks[2]).toMatchObject({
      status: 'fail',
      detail:
        "simple A -> alias d-other999.execute-api.us-west-2.amazonaws.com: CloudFormation creates this app's alias A record with a CREATE, which fails when the name already has an A record",
    });
  });

  test("before the hosting stack exists, no alias at a regional name is this app's", async () => {
    const { checks } = await dnsChecks([rec.aliasA('us-east-1.www.example.com', TARGETS.primary)]);
    expect(checks[1].status).toBe('fail');
  });

  test("the zone apex as site name: its NS and SOA are the zone's own", async () => {
    const { clients } = mockedClients({ records: deployedRecords().filter((r) => r.Name === 'example.com.') });
    const report = await runPreflight(
      { config: config({ domainName: 'example.com' }), configPath: 'c.json', bootstrap: REQUIRED },
      clients,
    );
    expect(report.checks.find((c) => c.check === 'dns-name')).toMatchObject({
      subject: 'example.com (site name, failover records)',
      status: 'pass',
      detail: 'free: no A, AAAA or CNAME record at the name',
      note: 'also holds NS, SOA records, which do not conflict',
    });
  });

  test('a listing that fails, and a custom domain that cannot be read, fail their names with the permission to grant', async () => {
    const { clients, mocks } = mockedClients();
    mocks.route53.on(ListResourceRecordSetsCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    const direct = await checkName(
      clients.route53,
      'Z0000000EXAMPLE0000',
      { name: 'www.example.com', purpose: 'site name', apex: false, kind: 'failover', isOurs: () => false },
      undefined,
    );
    expect(direct).toEqual({
      check: 'dns-name',
      subject: 'www.example.com (site name)',
      status: 'fail',
      detail: 'cannot list the records at the name (AccessDenied: not authorized)',
      fix: 'grant route53:ListResourceRecordSets on the hosted zone to the profile',
    });
    mocks.apigw['us-west-2'].rejects(awsError('AccessDeniedException', 'no apigateway:GET', 403));
    const report = await runPreflight({ config: config(), configPath: 'c.json', bootstrap: REQUIRED }, clients);
    expect(report.checks.filter((c) => c.check === 'dns-name')[2]).toEqual({
      check: 'dns-name',
      subject: 'us-west-2.www.example.com (regional name of the standby, us-west-2)',
      status: 'fail',
      detail:
        "cannot tell whether its records are this app's: reading the API Gateway custom domain failed (AccessDeniedException: no apigateway:GET)",
      fix: 'grant apigateway:GET on arn:aws:apigateway:us-west-2::/domainnames/us-west-2.www.example.com to the profile',
    });
  });
});
