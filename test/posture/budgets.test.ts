import type { StackView } from '../../lib/posture/assembly';
import {
  ALARM_EVALUATION_SECONDS,
  assessObjectives,
  automaticFailover,
  backupCopyRpo,
  type Budget,
  describeShortfall,
  formatSeconds,
  manualFailover,
  PostureError,
  replicationRpo,
  scheduleCadenceSeconds,
  SOURCES,
} from '../../lib/posture/objectives';
import { SITE_CONTENT_METADATA } from '../../lib/posture/site-content';

/**
 * The RTO/RPO budgets on hand-written templates (unit tests, no synthesis): several health checks,
 * alarms, replication rules and backup schedules, so that a budget picking the wrong one shows.
 * test/posture/objectives.test.ts checks the same functions on the synthesized app.
 */

function stack(stackName: string, region: string, resources: Record<string, any>): StackView {
  return { stackName, region, template: { Resources: resources }, terminationProtection: true };
}

const SWITCH_ALARM = 'portfolio-traffic-switch';

interface GlobalOptions {
  endpoint?: Record<string, unknown>;
  alias?: boolean;
  ttl?: string;
  calculated?: boolean;
  switchRegion?: string;
}

/** The global DNS stack: a PRIMARY record on a CALCULATED check of an endpoint check and a switch check. */
function globalStack(o: GlobalOptions = {}): StackView {
  const endpoint = {
    Type: 'AWS::Route53::HealthCheck',
    Properties: {
      HealthCheckConfig: { Type: 'HTTPS_STR_MATCH', RequestInterval: 10, FailureThreshold: 2, ...o.endpoint },
    },
  };
  const switchCheck = {
    Type: 'AWS::Route53::HealthCheck',
    Properties: {
      HealthCheckConfig: {
        Type: 'CLOUDWATCH_METRIC',
        AlarmIdentifier: { Name: SWITCH_ALARM, Region: o.switchRegion ?? 'us-west-2' },
      },
    },
  };
  const calculated = {
    Type: 'AWS::Route53::HealthCheck',
    Properties: {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        ChildHealthChecks: [{ Ref: 'Endpoint' }, { 'Fn::GetAtt': ['Switch', 'HealthCheckId'] }],
      },
    },
  };
  const target = o.alias === false ? { TTL: o.ttl, ResourceRecords: ['192.0.2.1'] } : { AliasTarget: { DNSName: 'd' } };
  return stack('portfolio-global-dns', 'us-east-1', {
    Endpoint: endpoint,
    Switch: switchCheck,
    Combined: calculated,
    Primary: {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        Failover: 'PRIMARY',
        HealthCheckId: { Ref: o.calculated === false ? 'Endpoint' : 'Combined' },
        ...target,
      },
    },
    Secondary: { Type: 'AWS::Route53::RecordSet', Properties: { Failover: 'SECONDARY', ...target } },
  });
}

function alarm(name: string, properties: Record<string, unknown> = {}) {
  return { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: name, ...properties } };
}

function siteBucket(rules?: any[]) {
  return {
    Type: 'AWS::S3::Bucket',
    Metadata: { [SITE_CONTENT_METADATA]: { content: 'site' } },
    Properties: rules ? { ReplicationConfiguration: { Role: 'r', Rules: rules } } : {},
  };
}

function rule(id: string, o: { status?: string; rtcMinutes?: number } = {}) {
  return {
    Id: id,
    Status: o.status ?? 'Enabled',
    Destination: {
      Bucket: 'arn:aws:s3:::replica',
      ...(o.rtcMinutes === undefined
        ? {}
        : { ReplicationTime: { Status: 'Enabled', Time: { Minutes: o.rtcMinutes } }, Metrics: { Status: 'Enabled' } }),
    },
  };
}

function backupPlan(rules: { schedule: string; copies: boolean }[]) {
  return {
    Type: 'AWS::Backup::BackupPlan',
    Properties: {
      BackupPlan: {
        BackupPlanRule: rules.map((r) => ({
          ScheduleExpression: r.schedule,
          CopyActions: r.copies ? [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:1:backup-vault:v' }] : [],
        })),
      },
    },
  };
}

/** The global stack, a switch alarm in each region (the real one in us-west-2) and a data stack. */
function app(o: GlobalOptions = {}, data: Record<string, any> = { Site: siteBucket([rule('r', { rtcMinutes: 15 })]) }) {
  return [
    globalStack(o),
    stack('portfolio-primary', 'us-east-1', {
      DecoySwitch: alarm(SWITCH_ALARM, { Period: 10, EvaluationPeriods: 1 }),
    }),
    stack('portfolio-standby', 'us-west-2', {
      OtherAlarm: alarm(`${SWITCH_ALARM}-other`, { Period: 10 }),
      Switch: alarm(SWITCH_ALARM, { Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3 }),
    }),
    stack('portfolio-data-primary', 'us-east-1', data),
  ];
}

const propagation = {
  label: 'health status reaches Route 53 name servers',
  seconds: 60,
  formula: '60 s allowance',
  source: SOURCES.propagation,
};
const aliasTtl = {
  label: 'DNS TTL (alias to API Gateway)',
  seconds: 60,
  formula: "60 s, the alias target's TTL",
  source: SOURCES.aliasTtl,
};

describe('automatic failover budget', () => {
  test('threshold x (interval + HTTPS timeouts) of the endpoint child of a CALCULATED check', () => {
    expect(automaticFailover(app())).toEqual<Budget>({
      name: 'automatic failover',
      terms: [
        {
          label: 'health check detects the failure',
          seconds: 2 * (10 + 6),
          formula: '2 failures x (10 s interval + 6 s timeout)',
          source: SOURCES.healthChecks,
        },
        propagation,
        aliasTtl,
      ],
      worstCaseSeconds: 32 + 60 + 60,
    });
  });

  test.each([
    ['HTTPS', 6],
    ['HTTP', 4],
    ['HTTP_STR_MATCH', 4],
  ])('a %s check waits %i s per try', (type, timeout) => {
    expect(automaticFailover(app({ endpoint: { Type: type } })).terms[0].seconds).toBe(2 * (10 + timeout));
  });

  test("Route 53's defaults: 30 s interval, 3 failures", () => {
    const budget = automaticFailover(app({ endpoint: { RequestInterval: undefined, FailureThreshold: undefined } }));
    expect(budget.terms[0].formula).toBe('3 failures x (30 s interval + 6 s timeout)');
  });

  test('a PRIMARY record on the endpoint check itself (not CALCULATED)', () => {
    expect(automaticFailover(app({ calculated: false })).terms[0].seconds).toBe(32);
  });

  test('a record that is not an alias waits its own TTL, or 0 s when it has none', () => {
    expect(automaticFailover(app({ alias: false, ttl: '300' })).terms[2]).toEqual({
      label: 'DNS TTL',
      seconds: 300,
      formula: "300 s, the record's TTL",
      source: SOURCES.aliasTtl,
    });
    expect(automaticFailover(app({ alias: false })).terms[2].seconds).toBe(0);
  });

  test.each(['TCP', 'XHTTPS', 'HTTPS_STR_MATCHED'])('a %s check watches no endpoint the budget knows', (type) => {
    expect(() => automaticFailover(app({ endpoint: { Type: type } }))).toThrow(
      new PostureError("portfolio-global-dns/Primary: the PRIMARY record's health check watches no endpoint"),
    );
  });

  test('two PRIMARY records are ambiguous', () => {
    const stacks = app();
    const second = globalStack();
    expect(() => automaticFailover([...stacks, { ...second, stackName: 'again' }])).toThrow(
      new PostureError('expected one failover PRIMARY record in the app, found 2'),
    );
  });

  test('a health check reference to something else is an error naming it', () => {
    const stacks = app();
    const g = stacks[0].template.Resources!;
    g.Combined.Properties.HealthCheckConfig.ChildHealthChecks = [{ Ref: 'Switch' }, { Ref: 'Primary' }];
    expect(() => automaticFailover(stacks)).toThrow(
      new PostureError('portfolio-global-dns: health check {"Ref":"Primary"} is not a health check of this stack'),
    );
  });

  test('a health check id that names no resource is an error, not a TypeError', () => {
    const stacks = app();
    stacks[0].template.Resources!.Primary.Properties.HealthCheckId = { Ref: 'Missing' };
    expect(() => automaticFailover(stacks)).toThrow(
      new PostureError('portfolio-global-dns: health check {"Ref":"Missing"} is not a health check of this stack'),
    );
  });

  test('a CALCULATED check without children watches no endpoint', () => {
    const stacks = app();
    delete stacks[0].template.Resources!.Combined.Properties.HealthCheckConfig.ChildHealthChecks;
    expect(() => automaticFailover(stacks)).toThrow(
      new PostureError("portfolio-global-dns/Primary: the PRIMARY record's health check watches no endpoint"),
    );
  });
});

describe('manual failover budget', () => {
  test('the switch alarm of the named region: datapoints x period, not the same-named alarm elsewhere', () => {
    expect(manualFailover(app())).toEqual<Budget>({
      name: 'manual failover (traffic switch)',
      terms: [
        {
          label: 'switch alarm reaches ALARM',
          seconds: 3 * 60 + ALARM_EVALUATION_SECONDS,
          formula: '3 x 60 s period + 60 s evaluation cadence',
          source: SOURCES.alarms,
        },
        propagation,
        aliasTtl,
      ],
      worstCaseSeconds: 240 + 60 + 60,
    });
  });

  test('the alarm in the other region when the check names it', () => {
    expect(manualFailover(app({ switchRegion: 'us-east-1' })).terms[0].seconds).toBe(1 * 10 + 60);
  });

  test('without DatapointsToAlarm, every evaluation period; without either, one; default period 60 s', () => {
    const stacks = app();
    const props = stacks[2].template.Resources!.Switch.Properties;
    delete props.DatapointsToAlarm;
    expect(manualFailover(stacks).terms[0].formula).toBe('5 x 60 s period + 60 s evaluation cadence');
    delete props.EvaluationPeriods;
    delete props.Period;
    expect(manualFailover(stacks).terms[0].formula).toBe('1 x 60 s period + 60 s evaluation cadence');
  });

  test('a switch alarm found nowhere in its region', () => {
    expect(() => manualFailover(app({ switchRegion: 'eu-west-1' }))).toThrow(
      new PostureError(`traffic switch alarm "${SWITCH_ALARM}" not found in any stack of eu-west-1`),
    );
  });

  test('a PRIMARY record without an alarm-based check', () => {
    expect(() => manualFailover(app({ calculated: false }))).toThrow(
      new PostureError("portfolio-global-dns/Primary: the PRIMARY record's health check has no alarm-based switch"),
    );
  });
});

describe('replication RPO budget', () => {
  test('the worst RTC threshold among the enabled rules of every site bucket', () => {
    const budget = replicationRpo(
      app(
        {},
        {
          Site: siteBucket([
            rule('a', { rtcMinutes: 15 }),
            rule('b', { rtcMinutes: 30 }),
            rule('c', { rtcMinutes: 5 }),
          ]),
          NotSite: { Type: 'AWS::S3::Bucket', Properties: { ReplicationConfiguration: { Rules: [rule('x')] } } },
        },
      ),
    );
    expect(budget).toEqual<Budget>({
      name: 'regional loss (replication)',
      terms: [
        {
          label: 'Replication Time Control threshold',
          seconds: 30 * 60,
          formula: '30 min (99.99% of objects; S3 does not bound the rest)',
          source: SOURCES.rtc,
        },
      ],
      worstCaseSeconds: 1800,
    });
  });

  test('a disabled rule replicates nothing, so it neither bounds nor breaks the RPO', () => {
    const data = { Site: siteBucket([rule('off', { status: 'Disabled' }), rule('on', { rtcMinutes: 15 })]) };
    expect(replicationRpo(app({}, data)).worstCaseSeconds).toBe(900);
  });

  test('a bucket whose only rule is disabled does not claim the 15-minute RTC bound', () => {
    const data = { Site: siteBucket([rule('off', { status: 'Disabled', rtcMinutes: 15 })]) };
    expect(() => replicationRpo(app({}, data))).toThrow(
      new PostureError(
        'the RPO of a regional loss is unbounded: portfolio-data-primary/Site replicates nothing: every replication rule is disabled',
      ),
    );
  });

  test('an enabled rule without RTC beside one with it leaves its objects unbounded', () => {
    const data = {
      Site: siteBucket([
        rule('off', { status: 'Disabled' }),
        rule('with-rtc', { rtcMinutes: 15 }),
        { ...rule('no-rtc'), Id: undefined },
      ]),
    };
    expect(() => replicationRpo(app({}, data))).toThrow(
      new PostureError(
        'the RPO of a regional loss is unbounded: portfolio-data-primary/Site rule #3 replicates without Replication Time Control: S3 bounds no replication time for its objects',
      ),
    );
  });

  test('every problem is named at once', () => {
    const data = {
      A: siteBucket([rule('off', { status: 'Disabled' })]),
      B: siteBucket([rule('plain')]),
    };
    expect(() => replicationRpo(app({}, data))).toThrow(
      new PostureError(
        'the RPO of a regional loss is unbounded: portfolio-data-primary/A replicates nothing: every replication rule is disabled; ' +
          'portfolio-data-primary/B rule "plain" replicates without Replication Time Control: S3 bounds no replication time for its objects',
      ),
    );
  });

  test('an enabled rule with no destination settings at all bounds nothing', () => {
    const data = { Site: siteBucket([{ Id: 'bare', Status: 'Enabled' }]) };
    expect(() => replicationRpo(app({}, data))).toThrow(
      new PostureError(
        'the RPO of a regional loss is unbounded: portfolio-data-primary/Site rule "bare" replicates without Replication Time Control: S3 bounds no replication time for its objects',
      ),
    );
  });

  test('no replicating site bucket at all (one without properties, one without rules)', () => {
    const bare = { Type: 'AWS::S3::Bucket', Metadata: { [SITE_CONTENT_METADATA]: { content: 'site' } } };
    expect(() => replicationRpo(app({}, { Site: siteBucket(), Bare: bare }))).toThrow(
      new PostureError(
        'no site-content bucket replicates with Replication Time Control: the RPO of a regional loss is unbounded',
      ),
    );
  });

  test('the objectives check reports it instead of a 15-minute RPO', () => {
    const data = { Site: siteBucket([rule('plain')]) };
    expect(() => assessObjectives(app({}, data), { rtoMinutes: 60, rpoMinutes: 60 })).toThrow(PostureError);
  });
});

describe('backup copy RPO budget', () => {
  test('the slowest of the schedules that copy to another region, wherever it is in the list', () => {
    const stacks = app(
      {},
      {
        Plan: backupPlan([
          { schedule: 'rate(1 hour)', copies: true },
          { schedule: 'cron(0 5 ? * SUN *)', copies: true },
          { schedule: 'rate(12 hours)', copies: true },
          { schedule: 'rate(30 days)', copies: false },
        ]),
      },
    );
    expect(backupCopyRpo(stacks)).toEqual<Budget>({
      name: 'both copies lost (cross-region backup copy)',
      terms: [
        {
          label: 'cross-region copy cadence',
          seconds: 7 * 86400,
          formula: 'cron(0 5 ? * SUN *) in portfolio-data-primary',
          source: SOURCES.backupSchedule,
        },
      ],
      worstCaseSeconds: 7 * 86400,
    });
  });

  test('the first of two equally slow schedules is named', () => {
    const stacks = app(
      {},
      {
        Plan: backupPlan([
          { schedule: 'rate(1 day)', copies: true },
          { schedule: 'cron(0 5 * * ? *)', copies: true },
        ]),
      },
    );
    expect(backupCopyRpo(stacks).terms[0].formula).toBe('rate(1 day) in portfolio-data-primary');
  });

  test('no plan copies anywhere', () => {
    const stacks = app(
      {},
      {
        Plan: backupPlan([{ schedule: 'rate(1 hour)', copies: false }]),
        NoCopyKey: {
          Type: 'AWS::Backup::BackupPlan',
          Properties: { BackupPlan: { BackupPlanRule: [{ ScheduleExpression: 'rate(1 day)' }] } },
        },
        Empty: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: {} } },
      },
    );
    expect(() => backupCopyRpo(stacks)).toThrow(
      new PostureError('no backup plan copies recovery points to another region'),
    );
  });
});

describe('backup schedule cadence', () => {
  test.each([
    ['rate(1 minute)', 60],
    ['rate(90 minutes)', 5400],
    ['rate(2 hours)', 7200],
    ['rate(3 days)', 259200],
    ['cron(15 * * * ? *)', 3600],
    ['cron(15 ? * * ? *)', 3600],
    ['cron(0 5 * * ? *)', 86400],
    ['cron(0 12 * * ? *)', 86400],
    ['cron(45 23 ? * SUN *)', 7 * 86400],
    ['cron(0 5 ? * * *)', 86400],
    ['cron(0 5 * * ?)', 86400],
    ['cron(30 23 ? * MON *)', 7 * 86400],
    ['cron(30 23 ? * 2 *)', 7 * 86400],
  ])('%s runs every %i s', (expression, seconds) => {
    expect(scheduleCadenceSeconds(expression)).toBe(seconds);
  });

  test.each([
    ['rate(1 week)', 'cannot read the backup schedule "rate(1 week)"'],
    [' rate(1 hour)', 'cannot read the backup schedule " rate(1 hour)"'],
    ['rate(1 hour) ', 'cannot read the backup schedule "rate(1 hour) "'],
    ['xcron(0 5 * * ? *)', 'cannot read the backup schedule "xcron(0 5 * * ? *)"'],
    ['cron(0 5 * * ? *)x', 'cannot read the backup schedule "cron(0 5 * * ? *)x"'],
    ['cron(0 5 * *)', 'cannot read the backup schedule "cron(0 5 * *)"'],
    ['cron(0/5 * * * ? *)', 'cannot compute the cadence of the backup schedule "cron(0/5 * * * ? *)"'],
    ['cron(x0 5 * * ? *)', 'cannot compute the cadence of the backup schedule "cron(x0 5 * * ? *)"'],
    ['cron(0x 5 * * ? *)', 'cannot compute the cadence of the backup schedule "cron(0x 5 * * ? *)"'],
    ['cron(0 5x * * ? *)', 'cannot compute the cadence of the backup schedule "cron(0 5x * * ? *)"'],
    ['cron(0 x5 * * ? *)', 'cannot compute the cadence of the backup schedule "cron(0 x5 * * ? *)"'],
    ['cron(0 5 15 * ? *)', 'cannot compute the cadence of the backup schedule "cron(0 5 15 * ? *)"'],
    ['cron(0 5x ? * MON *)', 'cannot compute the cadence of the backup schedule "cron(0 5x ? * MON *)"'],
    ['cron(0 x5 ? * MON *)', 'cannot compute the cadence of the backup schedule "cron(0 x5 ? * MON *)"'],
    ['cron(0 5 1 * ? *)', 'cannot compute the cadence of the backup schedule "cron(0 5 1 * ? *)"'],
    ['cron(0 5 ? * MON-FRI *)', 'cannot compute the cadence of the backup schedule "cron(0 5 ? * MON-FRI *)"'],
    ['cron(0 5 ? * -MON *)', 'cannot compute the cadence of the backup schedule "cron(0 5 ? * -MON *)"'],
    ['cron(0 * ? * MON *)', 'cannot compute the cadence of the backup schedule "cron(0 * ? * MON *)"'],
    ['cron(0 * 1 * ? *)', 'cannot compute the cadence of the backup schedule "cron(0 * 1 * ? *)"'],
    ['cron(0 5 * 1 ? *)', 'cannot compute the cadence of the backup schedule "cron(0 5 * 1 ? *)"'],
    ['cron(0 5 ? JAN MON *)', 'cannot compute the cadence of the backup schedule "cron(0 5 ? JAN MON *)"'],
    ['cron(0 5 * * ? 2027)', 'cannot compute the cadence of the backup schedule "cron(0 5 * * ? 2027)"'],
  ])('%s is refused', (expression, message) => {
    expect(() => scheduleCadenceSeconds(expression)).toThrow(new PostureError(message));
  });
});

describe('objectives against budgets', () => {
  const stacks = app(); // automatic 152 s, manual 360 s, replication 900 s

  test('each objective with its field, target and budgets; a budget equal to the target is met', () => {
    const [rto, rpo] = assessObjectives(stacks, { rtoMinutes: 6, rpoMinutes: 15 });
    expect([rto.objective, rto.field, rto.targetMinutes]).toEqual(['RTO', 'objectives.rtoMinutes', 6]);
    expect(rto.budgets.map((b) => b.name)).toEqual(['automatic failover', 'manual failover (traffic switch)']);
    expect(rto.exceeded).toEqual([]);
    expect([rpo.objective, rpo.field, rpo.targetMinutes]).toEqual(['RPO', 'objectives.rpoMinutes', 15]);
    expect(rpo.budgets.map((b) => b.name)).toEqual(['regional loss (replication)']);
    expect(rpo.exceeded).toEqual([]);
  });

  test('a target one minute short is exceeded, and the shortfall names target, worst case and terms', () => {
    const [rto, rpo] = assessObjectives(stacks, { rtoMinutes: 5, rpoMinutes: 14 });
    expect(rto.exceeded.map((b) => b.name)).toEqual(['manual failover (traffic switch)']);
    expect(describeShortfall(rto)).toEqual([
      'objectives.rtoMinutes is 5 min, but the worst-case manual failover (traffic switch) is 6 min = ' +
        'switch alarm reaches ALARM 240 s [3 x 60 s period + 60 s evaluation cadence] + ' +
        'health status reaches Route 53 name servers 60 s [60 s allowance] + ' +
        "DNS TTL (alias to API Gateway) 60 s [60 s, the alias target's TTL]",
    ]);
    expect(describeShortfall(rpo)).toEqual([
      'objectives.rpoMinutes is 14 min, but the worst-case regional loss (replication) is 15 min = ' +
        'Replication Time Control threshold 900 s [15 min (99.99% of objects; S3 does not bound the rest)]',
    ]);
  });
});

test.each([
  [0, '0 s'],
  [119, '119 s'],
  [120, '2 min'],
  [150, '2.5 min'],
  [7199, '120 min'],
  [7140, '119 min'],
  [7200, '2 h'],
  [86400, '24 h'],
  [9000, '2.5 h'],
])('formatSeconds(%i) is %s', (seconds, text) => {
  expect(formatSeconds(seconds)).toBe(text);
});
