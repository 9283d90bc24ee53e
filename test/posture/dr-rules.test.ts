import {
  App,
  ArnFormat,
  Aws,
  CfnDeletionPolicy,
  type CfnResource,
  Duration,
  PhysicalName,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { isRoute53Write } from '../../lib/posture/rules/failover-roles-without-route53-write';
import { markSiteContent } from '../../lib/posture/site-content';
import { PLAYBOOK_METADATA } from '../../lib/recovery/playbook-function';
import { PagingTopic } from '../../lib/shared/paging-topic';
import { DR_RULES, DrChecks } from '../../lib/posture/dr-checks';
import { continuousRuleCopyingTo, violations } from './rules/fixtures';

const ACCOUNT = '111111111111';

function stack(app: App, id: string, region: string, props: StackProps = {}): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region }, terminationProtection: true, ...props });
}

interface SiteBucketOptions {
  versioned?: boolean;
  replicateTo?: s3.IBucket;
  rule?: Partial<s3.ReplicationRule>;
  named?: boolean;
  removalPolicy?: RemovalPolicy;
}

function siteBucket(scope: Stack, id: string, o: SiteBucketOptions = {}): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    versioned: o.versioned ?? true,
    removalPolicy: o.removalPolicy ?? RemovalPolicy.RETAIN,
    bucketName: o.named ? PhysicalName.GENERATE_IF_NEEDED : undefined,
    replicationRules: o.replicateTo
      ? [
          {
            destination: o.replicateTo,
            replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
            metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
            deleteMarkerReplication: true,
            ...o.rule,
          },
        ]
      : undefined,
  });
  markSiteContent(bucket.node.defaultChild as s3.CfnBucket);
  return bucket;
}

describe('DR-SiteContentVersioned', () => {
  test('compliant: a versioned site bucket', () => {
    const app = new App();
    siteBucket(stack(app, 'S', 'us-east-1'), 'B');
    expect(violations(app, 'SiteContentVersioned')).toEqual([]);
  });

  test('non-compliant: an unversioned site bucket', () => {
    const app = new App();
    siteBucket(stack(app, 'S', 'us-east-1'), 'B', { versioned: false });
    expect(violations(app, 'SiteContentVersioned')).toEqual(['S/B/Resource']);
  });

  test('not applicable: an unversioned bucket that holds no site content', () => {
    const app = new App();
    new s3.Bucket(stack(app, 'S', 'us-east-1'), 'Logs');
    expect(violations(app, 'SiteContentVersioned')).toEqual([]);
  });
});

describe('DR-SiteContentReplicated', () => {
  function pair(rule: Partial<s3.ReplicationRule> = {}, replicaRegion = 'us-west-2') {
    const app = new App();
    const replica = siteBucket(stack(app, 'Standby', replicaRegion), 'Replica', { named: true });
    siteBucket(stack(app, 'Primary', 'us-east-1'), 'Source', { replicateTo: replica, rule });
    return app;
  }

  test('compliant: source replicates with RTC, metrics and delete markers to another region; the replica too', () => {
    expect(violations(pair(), 'SiteContentReplicated')).toEqual([]);
  });

  test.each<[string, Partial<s3.ReplicationRule>]>([
    [
      'without Replication Time Control',
      { replicationTimeControl: undefined, metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES },
    ],
    ['without delete-marker replication', { deleteMarkerReplication: false }],
    ['for a prefix only', { filter: { prefix: 'releases/' } }],
  ])('non-compliant: replication %s (source and replica both flagged)', (_name, rule) => {
    expect(violations(pair(rule), 'SiteContentReplicated')).toEqual([
      'Primary/Source/Resource',
      'Standby/Replica/Resource',
    ]);
  });

  test('non-compliant: replication to a bucket in the same region', () => {
    expect(violations(pair({}, 'us-east-1'), 'SiteContentReplicated')).toEqual([
      'Primary/Source/Resource',
      'Standby/Replica/Resource',
    ]);
  });

  test('non-compliant: a site bucket that neither replicates nor is a replica', () => {
    const app = new App();
    siteBucket(stack(app, 'S', 'us-east-1'), 'Lonely');
    expect(violations(app, 'SiteContentReplicated')).toEqual(['S/Lonely/Resource']);
  });
});

describe('DR-SiteContentBackedUp', () => {
  function backedUp(options: { continuous?: boolean; copyRegion?: string; select?: boolean } = {}) {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const bucket = siteBucket(s, 'B');
    const plan = new backup.BackupPlan(s, 'Plan');
    plan.addRule(
      new backup.BackupPlanRule({
        enableContinuousBackup: options.continuous ?? true,
        deleteAfter: Duration.days(35),
        copyActions:
          options.copyRegion === undefined
            ? []
            : [
                {
                  destinationBackupVault: backup.BackupVault.fromBackupVaultArn(
                    s,
                    'Copy',
                    `arn:aws:backup:${options.copyRegion}:${ACCOUNT}:backup-vault:v`,
                  ),
                },
              ],
      }),
    );
    if (options.select ?? true)
      plan.addSelection('Sel', { resources: [backup.BackupResource.fromArn(bucket.bucketArn)] });
    return app;
  }

  test('compliant: selected by a continuous-backup plan that copies to another region', () => {
    expect(violations(backedUp({ copyRegion: 'us-west-2' }), 'SiteContentBackedUp')).toEqual([]);
  });

  test('non-compliant: no cross-region copy', () => {
    expect(violations(backedUp(), 'SiteContentBackedUp')).toEqual(['S/B/Resource']);
  });

  test('non-compliant: the copy stays in the same region', () => {
    expect(violations(backedUp({ copyRegion: 'us-east-1' }), 'SiteContentBackedUp')).toEqual(['S/B/Resource']);
  });

  test('non-compliant: snapshot backups only (no continuous backup)', () => {
    expect(violations(backedUp({ copyRegion: 'us-west-2', continuous: false }), 'SiteContentBackedUp')).toEqual([
      'S/B/Resource',
    ]);
  });

  test('non-compliant: the plan does not select the bucket', () => {
    expect(violations(backedUp({ copyRegion: 'us-west-2', select: false }), 'SiteContentBackedUp')).toEqual([
      'S/B/Resource',
    ]);
  });
});

describe('DR-SiteContentHistoryProtected', () => {
  const HISTORY = [
    's3:DeleteObjectVersion',
    's3:PutLifecycleConfiguration',
    's3:PutBucketVersioning',
    's3:PutReplicationConfiguration',
  ];
  const breakGlass = `arn:aws:iam::${ACCOUNT}:role/break-glass`;

  function guarded(
    options: {
      actions?: string[];
      principals?: iam.IPrincipal[];
      objects?: boolean;
      conditions?: Record<string, Record<string, unknown>>;
      effect?: iam.Effect;
      siteContent?: boolean;
    } = {},
  ) {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const bucket =
      options.siteContent === false
        ? new s3.Bucket(s, 'B', { removalPolicy: RemovalPolicy.RETAIN })
        : siteBucket(s, 'B');
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: options.effect ?? iam.Effect.DENY,
        principals: options.principals ?? [new iam.AnyPrincipal()],
        actions: options.actions ?? HISTORY,
        resources: [bucket.bucketArn, ...(options.objects === false ? [] : [bucket.arnForObjects('*')])],
        conditions: options.conditions ?? { ArnNotLike: { 'aws:PrincipalArn': [breakGlass] } },
      }),
    );
    return app;
  }

  test.each<[string, Parameters<typeof guarded>[0]]>([
    ['the four actions denied to all but a named role', {}],
    [
      'a wildcard action that covers them',
      { actions: ['s3:PutLifecycleConfiguration', 's3:Put*Versioning', 's3:PutReplication*', 's3:DeleteObject*'] },
    ],
    ['no exemption at all', { conditions: {} }],
  ])('compliant: %s', (_name, options) => {
    expect(violations(guarded(options), 'SiteContentHistoryProtected')).toEqual([]);
  });

  test.each<[string, Parameters<typeof guarded>[0]]>([
    ['one of the four actions missing', { actions: HISTORY.slice(1) }],
    ['an Allow, not a Deny', { effect: iam.Effect.ALLOW, principals: [new iam.AccountRootPrincipal()] }],
    ['a deny that applies to one role only', { principals: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/x`)] }],
    ['the objects left out of the resources', { objects: false }],
    ['an exemption by wildcard', { conditions: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/*'] } } }],
    ['a condition on something else than the principal', { conditions: { Bool: { 'aws:SecureTransport': 'false' } } }],
  ])('non-compliant: %s', (_name, options) => {
    expect(violations(guarded(options), 'SiteContentHistoryProtected')).toEqual(['S/B/Resource']);
  });

  test('non-compliant: a site bucket with no bucket policy', () => {
    const app = new App();
    siteBucket(stack(app, 'S', 'us-east-1'), 'B');
    expect(violations(app, 'SiteContentHistoryProtected')).toEqual(['S/B/Resource']);
  });

  test('not applicable: a bucket that holds no site content', () => {
    expect(
      violations(guarded({ siteContent: false, actions: ['s3:GetObject'] }), 'SiteContentHistoryProtected'),
    ).toEqual([]);
  });
});

describe('DR-SiteContentRecoveryPointsLocked', () => {
  type Lock = backup.LockConfiguration | undefined;
  const COMPLIANCE: Lock = { minRetention: Duration.days(35), changeableFor: Duration.days(3) };

  /** A site bucket backed up into a vault of its stack and copied to a vault of another region. */
  function vaults(options: { local?: Lock; copy?: Lock; airGappedMinDays?: number; selectSite?: boolean } = {}) {
    const app = new App();
    const other = stack(app, 'Other', 'us-west-2');
    new backup.BackupVault(other, 'CopyVault', {
      backupVaultName: 'site-vault',
      lockConfiguration: 'copy' in options ? options.copy : COMPLIANCE,
    });
    new backup.BackupVault(other, 'Unrelated', { backupVaultName: 'unrelated' });
    const s = stack(app, 'S', 'us-east-1');
    const bucket = options.selectSite === false ? new s3.Bucket(s, 'B') : siteBucket(s, 'B');
    const vault = new backup.BackupVault(s, 'Vault', {
      backupVaultName: 'site-vault',
      lockConfiguration: 'local' in options ? options.local : COMPLIANCE,
    });
    const copyActions: backup.BackupPlanCopyActionProps[] = [
      {
        destinationBackupVault: backup.BackupVault.fromBackupVaultArn(
          s,
          'Copy',
          `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:site-vault`,
        ),
        deleteAfter: Duration.days(35),
      },
    ];
    if (options.airGappedMinDays !== undefined) {
      const lag = new backup.CfnLogicallyAirGappedBackupVault(s, 'AirGapped', {
        backupVaultName: 'air-gapped',
        minRetentionDays: options.airGappedMinDays,
        maxRetentionDays: 365,
      });
      copyActions.push({
        destinationBackupVault: backup.BackupVault.fromBackupVaultArn(s, 'AirGappedRef', lag.attrBackupVaultArn),
        deleteAfter: Duration.days(35),
      });
    }
    const plan = new backup.BackupPlan(s, 'Plan', { backupVault: vault });
    plan.addRule(
      new backup.BackupPlanRule({ enableContinuousBackup: true, deleteAfter: Duration.days(35), copyActions }),
    );
    plan.addSelection('Sel', { resources: [backup.BackupResource.fromArn(bucket.bucketArn)] });
    return app;
  }

  test('compliant: both vaults locked in compliance mode for 35 days (an unrelated unlocked vault is not checked)', () => {
    expect(violations(vaults(), 'SiteContentRecoveryPointsLocked')).toEqual([]);
  });

  test('compliant: an air-gapped copy vault keeping recovery points 35 days', () => {
    expect(violations(vaults({ airGappedMinDays: 35 }), 'SiteContentRecoveryPointsLocked')).toEqual([]);
  });

  test.each<[string, Parameters<typeof vaults>[0], string[]]>([
    ['the local vault without a lock', { local: undefined }, ['S/Vault/Resource']],
    ['the copy vault without a lock', { copy: undefined }, ['Other/CopyVault/Resource']],
    [
      'a governance-mode lock (no ChangeableForDays)',
      { local: { minRetention: Duration.days(35) } },
      ['S/Vault/Resource'],
    ],
    [
      'a minimum retention shorter than the continuous window',
      { copy: { minRetention: Duration.days(7), changeableFor: Duration.days(3) } },
      ['Other/CopyVault/Resource'],
    ],
    ['an air-gapped vault keeping recovery points 7 days', { airGappedMinDays: 7 }, ['S/AirGapped']],
  ])('non-compliant: %s', (_name, options, expected) => {
    expect(violations(vaults(options), 'SiteContentRecoveryPointsLocked')).toEqual(expected);
  });

  test('not applicable: unlocked vaults of a plan that backs up no site content', () => {
    expect(
      violations(vaults({ local: undefined, copy: undefined, selectSite: false }), 'SiteContentRecoveryPointsLocked'),
    ).toEqual([]);
  });
});

describe('DR-SiteContentRecoveryPointsLocked with several vaults, stacks and selections', () => {
  const LOCK: backup.LockConfiguration = { minRetention: Duration.days(35), changeableFor: Duration.days(3) };

  /**
   * A site bucket in S (us-east-1) backed up by a plan of S into `target`, with the copy vault
   * `site-copy` of us-west-2, plus whatever `more` adds (unlocked vaults that hold no site content).
   */
  function app(options: {
    target?: (s: Stack) => backup.IBackupVault;
    resources?: (s: Stack, site: s3.Bucket) => backup.BackupResource[];
    more?: (app: App, s: Stack) => void;
  }) {
    const a = new App();
    const s = stack(a, 'S', 'us-east-1');
    const site = siteBucket(s, 'B');
    const copyStack = stack(a, 'Copy', 'us-west-2');
    new backup.BackupVault(copyStack, 'CopyVault', { backupVaultName: 'site-copy', lockConfiguration: LOCK });
    const target =
      options.target?.(s) ??
      new backup.BackupVault(s, 'Vault', { backupVaultName: 'site-vault', lockConfiguration: LOCK });
    const plan = new backup.BackupPlan(s, 'Plan', { backupVault: target });
    plan.addRule(
      continuousRuleCopyingTo(
        s,
        'CopyRef',
        `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:site-copy`,
        Duration.days(35),
      ),
    );
    plan.addSelection('Sel', {
      resources: options.resources?.(s, site) ?? [backup.BackupResource.fromArn(site.bucketArn)],
    });
    options.more?.(a, s);
    return a;
  }

  test('a selection of several resources holds site content when any one of them is a site bucket', () => {
    const a = app({
      target: (s) => new backup.BackupVault(s, 'Vault', { backupVaultName: 'site-vault' }),
      resources: (s, site) => [
        backup.BackupResource.fromArn(new s3.Bucket(s, 'Logs').bucketArn),
        backup.BackupResource.fromArn(site.bucketArn),
      ],
    });
    expect(violations(a, 'SiteContentRecoveryPointsLocked')).toEqual(['S/Vault/Resource']);
  });

  test('a plan targets the vault it references, not another vault of its stack nor one of the same id in another stack', () => {
    const a = app({
      more: (a, s) => {
        new backup.BackupVault(s, 'Spare', { backupVaultName: 'spare' });
        // Same construct path in another stack of the region: the same logical id.
        new backup.BackupVault(stack(a, 'Twin', 'us-east-1'), 'Vault', { backupVaultName: 'twin-vault' });
      },
    });
    expect(violations(a, 'SiteContentRecoveryPointsLocked')).toEqual([]);
  });

  test('a plan that names its vault (imported by name) targets the vault of that name in its region only', () => {
    const a = app({
      target: (s) => backup.BackupVault.fromBackupVaultName(s, 'ByName', 'shared-vault'),
      more: (a) => {
        new backup.BackupVault(stack(a, 'Vaults', 'us-east-1'), 'Shared', { backupVaultName: 'shared-vault' });
        new backup.BackupVault(stack(a, 'Far', 'eu-west-1'), 'Namesake', { backupVaultName: 'shared-vault' });
      },
    });
    expect(violations(a, 'SiteContentRecoveryPointsLocked')).toEqual(['Vaults/Shared/Resource']);
  });

  test('a copy destination ARN names a vault in its own region only; a vault whose name is a token is no named target', () => {
    const a = app({
      more: (a, s) => {
        // The copy vault's name in a third region, and a vault of S whose name CloudFormation computes.
        new backup.BackupVault(stack(a, 'Far', 'eu-west-1'), 'Namesake', { backupVaultName: 'site-copy' });
        new backup.CfnBackupVault(s, 'Computed', { backupVaultName: `${Aws.STACK_NAME}-vault` });
      },
    });
    expect(violations(a, 'SiteContentRecoveryPointsLocked')).toEqual([]);
  });
});

describe('DR-FailoverRecordsPaired', () => {
  function records(options: { primary?: boolean; secondary?: boolean; secondaryName?: string }) {
    const app = new App();
    const s = stack(app, 'G', 'us-east-1');
    const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Z', { hostedZoneId: 'Z1', zoneName: 'example.com' });
    const healthCheck = new route53.HealthCheck(s, 'HC', {
      type: route53.HealthCheckType.HTTPS,
      fqdn: 'a.example.com',
    });
    if (options.primary ?? true) {
      new route53.ARecord(s, 'Primary', {
        zone,
        recordName: 'www',
        failover: route53.Failover.PRIMARY,
        setIdentifier: 'p',
        healthCheck,
        target: route53.RecordTarget.fromIpAddresses('192.0.2.1'),
      });
    }
    if (options.secondary ?? true) {
      new route53.ARecord(s, 'Secondary', {
        zone,
        recordName: options.secondaryName ?? 'www',
        failover: route53.Failover.SECONDARY,
        setIdentifier: 's',
        target: route53.RecordTarget.fromIpAddresses('192.0.2.2'),
      });
    }
    return app;
  }

  test('compliant: PRIMARY with a health check and a SECONDARY of the same name and type', () => {
    expect(violations(records({}), 'FailoverRecordsPaired')).toEqual([]);
  });

  test('non-compliant: PRIMARY without a health check (written as L1; the L2 refuses it)', () => {
    const app = new App();
    const s = stack(app, 'G', 'us-east-1');
    for (const failover of ['PRIMARY', 'SECONDARY']) {
      new route53.CfnRecordSet(s, failover, {
        hostedZoneId: 'Z1',
        name: 'www.example.com.',
        type: 'A',
        failover,
        setIdentifier: failover,
        resourceRecords: ['192.0.2.1'],
        ttl: '60',
      });
    }
    expect(violations(app, 'FailoverRecordsPaired')).toEqual(['G/PRIMARY']);
  });

  test('non-compliant: PRIMARY without a SECONDARY', () => {
    expect(violations(records({ secondary: false }), 'FailoverRecordsPaired')).toEqual(['G/Primary/Resource']);
  });

  test('non-compliant: SECONDARY for another name', () => {
    expect(violations(records({ secondaryName: 'web' }), 'FailoverRecordsPaired')).toEqual([
      'G/Primary/Resource',
      'G/Secondary/Resource',
    ]);
  });
});

describe('DR-AliasEvaluatesTargetHealth', () => {
  function alias(evaluateTargetHealth?: boolean) {
    const app = new App();
    const s = stack(app, 'G', 'us-east-1');
    const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Z', { hostedZoneId: 'Z1', zoneName: 'example.com' });
    new route53.ARecord(s, 'Alias', {
      zone,
      recordName: 'www',
      target: route53.RecordTarget.fromAlias({
        bind: () => ({ dnsName: 'd-1.example.net', hostedZoneId: 'Z2', evaluateTargetHealth }),
      }),
    });
    return app;
  }

  test('compliant: alias evaluates target health', () => {
    expect(violations(alias(true), 'AliasEvaluatesTargetHealth')).toEqual([]);
  });

  test('non-compliant: alias without evaluate-target-health', () => {
    expect(violations(alias(), 'AliasEvaluatesTargetHealth')).toEqual(['G/Alias/Resource']);
  });
});

describe('DR-SwitchCheckKeepsLastKnownStatus', () => {
  function check(insufficientDataHealthStatus?: route53.InsufficientDataHealthStatusEnum) {
    const app = new App();
    new route53.HealthCheck(stack(app, 'G', 'us-east-1'), 'Switch', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { region: 'us-west-2', name: 'switch' },
      insufficientDataHealthStatus,
    });
    return app;
  }

  test.each([
    ['last known status', route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS],
    ["unset (the CDK construct's default is last known status)", undefined],
  ])('compliant: %s', (_name, status) => {
    expect(violations(check(status), 'SwitchCheckKeepsLastKnownStatus')).toEqual([]);
  });

  test.each([
    ['Healthy', route53.InsufficientDataHealthStatusEnum.HEALTHY],
    ['Unhealthy', route53.InsufficientDataHealthStatusEnum.UNHEALTHY],
  ])('non-compliant: %s', (_name, status) => {
    expect(violations(check(status), 'SwitchCheckKeepsLastKnownStatus')).toEqual(['G/Switch/Resource']);
  });

  test('not applicable: an HTTPS health check', () => {
    const app = new App();
    new route53.HealthCheck(stack(app, 'G', 'us-east-1'), 'Https', {
      type: route53.HealthCheckType.HTTPS,
      fqdn: 'www.example.com',
    });
    expect(violations(app, 'SwitchCheckKeepsLastKnownStatus')).toEqual([]);
  });
});

describe('DR-Route53AlarmsInUsEast1', () => {
  function alarm(region: string, namespace = 'AWS/Route53') {
    const app = new App();
    new cloudwatch.Alarm(stack(app, 'A', region), 'Alarm', {
      metric: new cloudwatch.Metric({ namespace, metricName: 'HealthCheckStatus' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    return app;
  }

  test('compliant: in us-east-1', () => {
    expect(violations(alarm('us-east-1'), 'Route53AlarmsInUsEast1')).toEqual([]);
  });

  test('non-compliant: in another region', () => {
    expect(violations(alarm('eu-west-1'), 'Route53AlarmsInUsEast1')).toEqual(['A/Alarm/Resource']);
  });

  test('not applicable: another namespace elsewhere', () => {
    expect(violations(alarm('eu-west-1', 'AWS/S3'), 'Route53AlarmsInUsEast1')).toEqual([]);
  });
});

describe('DR-StatefulResourcesRetained', () => {
  function stateful(removalPolicy: RemovalPolicy, terminationProtection: boolean) {
    const app = new App();
    const s = stack(app, 'D', 'us-east-1', { terminationProtection });
    new s3.Bucket(s, 'Bucket', { removalPolicy });
    new backup.BackupVault(s, 'Vault', { removalPolicy });
    return app;
  }

  test('compliant: RETAIN in a termination-protected stack', () => {
    expect(violations(stateful(RemovalPolicy.RETAIN, true), 'StatefulResourcesRetained')).toEqual([]);
  });

  test('non-compliant: DESTROY', () => {
    expect(violations(stateful(RemovalPolicy.DESTROY, true), 'StatefulResourcesRetained')).toEqual([
      'D/Bucket/Resource',
      'D/Vault/Resource',
    ]);
  });

  test('non-compliant: stack without termination protection', () => {
    expect(violations(stateful(RemovalPolicy.RETAIN, false), 'StatefulResourcesRetained')).toEqual([
      'D/Bucket/Resource',
      'D/Vault/Resource',
    ]);
  });
});

describe('DR-PlaybooksInStandbyRegion and DR-FailoverRolesWithoutRoute53Write', () => {
  /** A switch health check naming the standby region, and playbook functions where asked. */
  function app(options: { standbyPlaybooks: string[]; failoverStatements?: iam.PolicyStatement[]; managed?: string }) {
    const a = new App();
    const global = stack(a, 'Global', 'us-east-1');
    new route53.HealthCheck(global, 'Switch', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { region: 'us-west-2', name: 'switch' },
    });
    const standby = stack(a, 'Recovery', 'us-west-2');
    for (const playbook of options.standbyPlaybooks) {
      const role = new iam.Role(standby, `${playbook}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        managedPolicies: options.managed ? [iam.ManagedPolicy.fromAwsManagedPolicyName(options.managed)] : [],
      });
      for (const s of options.failoverStatements ?? []) role.addToPolicy(s);
      const fn = new lambda.Function(standby, playbook, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: `index.${playbook}`,
        code: lambda.Code.fromInline('exports.x=1'),
        role,
      });
      (fn.node.defaultChild as lambda.CfnFunction).addMetadata(PLAYBOOK_METADATA, { playbook });
    }
    return a;
  }
  const all = ['status', 'failover', 'failback', 'restore'];

  test('compliant: the playbooks are in the standby region', () => {
    expect(violations(app({ standbyPlaybooks: all }), 'PlaybooksInStandbyRegion')).toEqual([]);
  });

  test('non-compliant: restore missing from the standby region', () => {
    expect(
      violations(app({ standbyPlaybooks: ['status', 'failover', 'failback'] }), 'PlaybooksInStandbyRegion'),
    ).toEqual(['Global/Switch/Resource']);
  });

  test('compliant: failover roles that only put metric data and read the alarm', () => {
    const statements = [
      new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData', 'cloudwatch:DescribeAlarms'], resources: ['*'] }),
    ];
    expect(
      violations(app({ standbyPlaybooks: all, failoverStatements: statements }), 'FailoverRolesWithoutRoute53Write'),
    ).toEqual([]);
  });

  test.each([
    ['route53:ChangeResourceRecordSets'],
    ['route53:UpdateHealthCheck'],
    ['route53:*'],
    ['route53:Change*'],
    ['*'],
  ])('non-compliant: a failover or failback role allowed %s', (action) => {
    const statements = [new iam.PolicyStatement({ actions: [action], resources: ['*'] })];
    expect(
      violations(app({ standbyPlaybooks: all, failoverStatements: statements }), 'FailoverRolesWithoutRoute53Write'),
    ).toEqual(['Recovery/failback/Resource', 'Recovery/failover/Resource']);
  });

  test('non-compliant: a managed policy other than basic execution (it could grant anything)', () => {
    expect(
      violations(
        app({ standbyPlaybooks: all, managed: 'AmazonRoute53FullAccess' }),
        'FailoverRolesWithoutRoute53Write',
      ),
    ).toEqual(['Recovery/failback/Resource', 'Recovery/failover/Resource']);
  });

  test('reading Route 53 is not writing it', () => {
    expect(isRoute53Write('route53:GetHealthCheckStatus')).toBe(false);
    expect(isRoute53Write('route53:List*')).toBe(false);
    expect(isRoute53Write('route53:ChangeResourceRecordSets')).toBe(true);
  });
});

describe('DR-TopicsAdmitTheirPublishers', () => {
  type Policy = (topic: sns.Topic) => void;
  const allowCloudWatch =
    (conditions?: Record<string, unknown>): Policy =>
    (topic) =>
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions,
        }),
      );

  /** A topic (with the given policy statements) that an alarm notifies through the given action list. */
  function alarmTopic(
    options: { enforceSSL?: boolean; policy?: Policy; on?: 'alarm' | 'ok' | 'insufficient' | 'none' } = {},
  ) {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const topic = new sns.Topic(s, 'Topic', { enforceSSL: options.enforceSSL });
    options.policy?.(topic);
    const alarm = new cloudwatch.Alarm(s, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    const action = new cwActions.SnsAction(topic);
    const on = options.on ?? 'alarm';
    if (on === 'alarm') alarm.addAlarmAction(action);
    if (on === 'ok') alarm.addOkAction(action);
    if (on === 'insufficient') alarm.addInsufficientDataAction(action);
    return app;
  }

  test('compliant: an alarm topic without a topic policy (the default policy admits same-account services)', () => {
    expect(violations(alarmTopic(), 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test.each([
    ['literal account', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }],
    ['AWS::AccountId', { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }],
  ])('compliant: SSL-only policy plus an Allow for CloudWatch from its own account (%s)', (_name, conditions) => {
    const app = alarmTopic({ enforceSSL: true, policy: allowCloudWatch(conditions) });
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test('compliant: the PagingTopic construct', () => {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const paging = new PagingTopic(s, 'Paging', {
      topicName: 'app-page-high',
      urgency: 'high',
      subscriptions: [{ protocol: 'email', endpoint: 'a@example.com' }],
      alarmNamePattern: 'app-*',
    });
    const alarm = new cloudwatch.Alarm(s, 'Alarm', {
      alarmName: 'app-x',
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(paging.topic));
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test.each<['alarm' | 'ok' | 'insufficient']>([['alarm'], ['ok'], ['insufficient']])(
    'non-compliant: only the SSL Deny (what enforceSSL writes), topic in the %s actions',
    (on) => {
      expect(violations(alarmTopic({ enforceSSL: true, on }), 'TopicsAdmitTheirPublishers')).toEqual([
        'S/Topic/Resource',
      ]);
    },
  );

  test.each<[string, Policy]>([
    ['an Allow for CloudWatch without aws:SourceAccount', allowCloudWatch()],
    [
      'an Allow for CloudWatch from another account',
      allowCloudWatch({ StringEquals: { 'aws:SourceAccount': '222222222222' } }),
    ],
    [
      'an Allow for another service',
      (topic) =>
        topic.addToResourcePolicy(
          new iam.PolicyStatement({
            principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
            actions: ['sns:Publish'],
            resources: [topic.topicArn],
            conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          }),
        ),
    ],
    [
      'the Allow, but also a Deny of sns:Publish to everyone without a condition',
      (topic) => {
        allowCloudWatch({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })(topic);
        topic.addToResourcePolicy(
          new iam.PolicyStatement({
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['sns:Publish'],
            resources: [topic.topicArn],
          }),
        );
      },
    ],
  ])('non-compliant: %s', (_name, policy) => {
    expect(violations(alarmTopic({ policy }), 'TopicsAdmitTheirPublishers')).toEqual(['S/Topic/Resource']);
  });

  // Several statements beside the Allow for CloudWatch: which Deny shuts publishers out, and what
  // counts as the Allow.
  const statement =
    (props: iam.PolicyStatementProps, withAllow = true): Policy =>
    (topic) => {
      if (withAllow) allowCloudWatch({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })(topic);
      topic.addToResourcePolicy(new iam.PolicyStatement({ resources: [topic.topicArn], ...props }));
    };
  test.each<[string, Policy, boolean]>([
    [
      'a Deny of sns:Publish to "*" written as a bare string',
      statement({ effect: iam.Effect.DENY, principals: [new iam.StarPrincipal()], actions: ['sns:Publish'] }),
      false,
    ],
    [
      'a Deny of sns:Publish to one role',
      statement({
        effect: iam.Effect.DENY,
        principals: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/intruder`)],
        actions: ['sns:Publish'],
      }),
      true,
    ],
    [
      'a Deny of sns:Publish to everyone outside the organization (a condition)',
      statement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        conditions: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      }),
      true,
    ],
    [
      'an Allow of sns:Publish to everyone (not a Deny)',
      statement({ principals: [new iam.AnyPrincipal()], actions: ['sns:Publish'] }),
      true,
    ],
    [
      'a Deny, not an Allow, for CloudWatch on aws:SourceAccount',
      statement(
        {
          effect: iam.Effect.DENY,
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        },
        false,
      ),
      false,
    ],
    [
      'an Allow for CloudWatch of sns:Subscribe only',
      statement(
        {
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Subscribe'],
          conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        },
        false,
      ),
      false,
    ],
  ])('alarm topic policy with %s', (_name, policy, compliant) => {
    expect(violations(alarmTopic({ policy }), 'TopicsAdmitTheirPublishers')).toEqual(
      compliant ? [] : ['S/Topic/Resource'],
    );
  });

  /** An alarm topic encrypted with `key` (made in the topic's stack). */
  function encryptedAlarmTopic(key: (s: Stack) => kms.IKey) {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const topic = new sns.Topic(s, 'Topic', { masterKey: key(s) });
    new cloudwatch.Alarm(s, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
      threshold: 1,
      evaluationPeriods: 1,
    }).addAlarmAction(new cwActions.SnsAction(topic));
    return app;
  }

  test('compliant: encrypted with a customer managed key whose policy lets CloudWatch use it', () => {
    const app = encryptedAlarmTopic((s) => {
      const key = new kms.Key(s, 'Key');
      key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      return key;
    });
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test.each<[string, (s: Stack) => kms.IKey]>([
    [
      'the AWS managed key alias/aws/sns (its policy cannot admit CloudWatch)',
      (s) => kms.Alias.fromAliasName(s, 'K', 'alias/aws/sns'),
    ],
    ['a customer managed key whose policy does not admit CloudWatch', (s) => new kms.Key(s, 'Key')],
    [
      'a key from elsewhere (its policy cannot be checked)',
      (s) => kms.Key.fromKeyArn(s, 'K', `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
    ],
  ])('non-compliant: an alarm topic encrypted with %s', (_name, key) => {
    expect(violations(encryptedAlarmTopic(key), 'TopicsAdmitTheirPublishers')).toEqual(['S/Topic/Resource']);
  });

  // The key statement must cover both kms:Decrypt and kms:GenerateDataKey, by name or by wildcard.
  test.each<[string, string[], boolean]>([
    ['kms:Decrypt and kms:GenerateDataKey*', ['kms:Decrypt', 'kms:GenerateDataKey*'], true],
    ['kms:Decrypt and kms:GenerateDataKey', ['kms:Decrypt', 'kms:GenerateDataKey'], true],
    ['kms:Decrypt and kms:Generate*', ['kms:Decrypt', 'kms:Generate*'], true],
    ['kms:*', ['kms:*'], true],
    ['"*"', ['*'], true],
    ['kms:Decrypt only', ['kms:Decrypt'], false],
    ['kms:GenerateDataKey* only', ['kms:GenerateDataKey*'], false],
    ['kms:Decrypt and a wildcard of other actions (kms:Get*)', ['kms:Decrypt', 'kms:Get*'], false],
  ])('an alarm topic encrypted with a key whose policy allows CloudWatch %s', (_name, actions, compliant) => {
    const app = encryptedAlarmTopic((s) => {
      const key = new kms.Key(s, 'Key');
      key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), ...actions);
      return key;
    });
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual(compliant ? [] : ['S/Topic/Resource']);
  });

  test('non-compliant: the key policy names CloudWatch and both actions in a Deny, not an Allow', () => {
    const app = encryptedAlarmTopic((s) => {
      const key = new kms.Key(s, 'Key');
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
      return key;
    });
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual(['S/Topic/Resource']);
  });

  test('non-compliant: an alarm topic under a topic policy shared with another topic, without the Allow for CloudWatch', () => {
    const policy: Policy = (topic) =>
      new sns.TopicPolicy(topic.stack, 'Both', {
        topics: [new sns.Topic(topic.stack, 'Other'), topic],
        policyDocument: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
              actions: ['sns:Publish'],
              resources: [topic.topicArn],
            }),
          ],
        }),
      });
    expect(violations(alarmTopic({ policy }), 'TopicsAdmitTheirPublishers')).toEqual(['S/Topic/Resource']);
  });

  test('not applicable: an SSL-only topic that no alarm or rule publishes to', () => {
    expect(violations(alarmTopic({ enforceSSL: true, on: 'none' }), 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  /** A topic that an EventBridge rule targets. */
  function ruleTopic(target: (topic: sns.Topic, s: Stack) => void, enforceSSL = true) {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const topic = new sns.Topic(s, 'Topic', { enforceSSL });
    target(topic, s);
    return app;
  }
  /** An L1 rule that targets the topic: CDK adds no permission for it. */
  const rawTarget = (roleArn?: string) => (topic: sns.Topic, s: Stack) =>
    new events.CfnRule(s, 'Rule', {
      eventPattern: { source: ['aws.backup'] },
      targets: [{ id: 'T', arn: topic.topicArn, roleArn }],
    });

  test('compliant: an EventBridge rule with the CDK SnsTopic target (it adds the Allow for events.amazonaws.com)', () => {
    const app = ruleTopic((topic, s) =>
      new events.Rule(s, 'Rule', { eventPattern: { source: ['aws.backup'] } }).addTarget(
        new eventsTargets.SnsTopic(topic),
      ),
    );
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test('compliant: a rule target that publishes with its own role (the topic policy is not involved)', () => {
    const app = ruleTopic(rawTarget(`arn:aws:iam::${ACCOUNT}:role/publisher`));
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test.each([
    ['with only the SSL Deny', true],
    ['without any topic policy (EventBridge needs an explicit Allow)', false],
  ])('non-compliant: a rule targets a topic %s', (_name, enforceSSL) => {
    expect(violations(ruleTopic(rawTarget(), enforceSSL), 'TopicsAdmitTheirPublishers')).toEqual(['S/Topic/Resource']);
  });

  test('non-compliant: the Allow for events.amazonaws.com carries a Condition (EventBridge does not support one there)', () => {
    const app = ruleTopic((topic, s) => {
      rawTarget()(topic, s);
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }),
      );
    });
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual(['S/Topic/Resource']);
  });

  // EventBridge's statement must be an Allow of sns:Publish, in every policy of the topic.
  const forEvents = (topic: sns.Topic, props: Partial<iam.PolicyStatementProps> = {}) =>
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      ...props,
    });
  test.each<[string, (topic: sns.Topic, s: Stack) => void, boolean]>([
    ['an Allow of sns:Publish', (topic) => topic.addToResourcePolicy(forEvents(topic)), true],
    [
      'an Allow of sns:Subscribe only',
      (topic) => topic.addToResourcePolicy(forEvents(topic, { actions: ['sns:Subscribe'] })),
      false,
    ],
    [
      'a Deny, not an Allow',
      (topic) => topic.addToResourcePolicy(forEvents(topic, { effect: iam.Effect.DENY })),
      false,
    ],
    [
      'the Allow in one topic policy, a second policy on the topic without it',
      (topic, s) => {
        topic.addToResourcePolicy(forEvents(topic));
        new sns.TopicPolicy(s, 'Second', {
          topics: [topic],
          policyDocument: new iam.PolicyDocument({
            statements: [forEvents(topic, { actions: ['sns:GetTopicAttributes'] })],
          }),
        });
      },
      false,
    ],
  ])('a rule without a role targets a topic whose policy for EventBridge has %s', (_name, policy, compliant) => {
    const app = ruleTopic((topic, s) => {
      rawTarget()(topic, s);
      policy(topic, s);
    }, false);
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual(compliant ? [] : ['S/Topic/Resource']);
  });

  /**
   * A paging topic (its policy admits CloudWatch and EventBridge, no role) in one stack, and a
   * function in another stack of the region that is given the topic's ARN, as the live-release
   * watch is; `grant` says what the function's role may do.
   */
  function functionPublisher(grant: (role: iam.Role, topicArn: string) => void, role?: (s: Stack) => iam.IRole) {
    const app = new App();
    const paging = stack(app, 'Paging', 'us-east-1');
    new PagingTopic(paging, 'High', {
      topicName: 'app-page-high',
      urgency: 'high',
      subscriptions: [],
      alarmNamePattern: 'app-*',
      admitEventBridge: true,
    });
    const s = stack(app, 'Watch', 'us-east-1');
    const topicArn = s.formatArn({ service: 'sns', resource: 'app-page-high', arnFormat: ArnFormat.NO_RESOURCE_NAME });
    const own = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    grant(own, topicArn);
    new lambda.Function(s, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => undefined;'),
      role: role?.(s) ?? own,
      environment: { DR_PAGE_TOPIC_ARN: topicArn },
    });
    return app;
  }
  const allowPublish = (resource: (topicArn: string) => string) => (role: iam.Role, topicArn: string) =>
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [resource(topicArn)] }));

  test('compliant: a function given the topic ARN whose role may publish to it (same account: the identity policy suffices)', () => {
    expect(violations(functionPublisher(allowPublish((t) => t)), 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test('compliant: the role allows sns:Publish on "*"', () => {
    expect(violations(functionPublisher(allowPublish(() => '*')), 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  // Grants in each place a role's permissions can come from, beside other roles and statements.
  const otherRole = (role: iam.Role) =>
    new iam.Role(role.stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const publish = (topicArn: string, props: Partial<iam.PolicyStatementProps> = {}) =>
    new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topicArn], ...props });
  test.each<[string, (role: iam.Role, topicArn: string) => void, boolean]>([
    [
      'an inline policy of the role',
      (role, t) => {
        (role.node.defaultChild as iam.CfnRole).policies = [
          { policyName: 'page', policyDocument: new iam.PolicyDocument({ statements: [publish(t)] }) },
        ];
      },
      true,
    ],
    [
      'a policy attached to the role and another role',
      (role, t) => new iam.Policy(role.stack, 'Shared', { roles: [otherRole(role), role], statements: [publish(t)] }),
      true,
    ],
    [
      'one statement naming another resource and the topic',
      (role, t) => role.addToPolicy(publish(t, { resources: [`arn:aws:s3:::bucket`, t] })),
      true,
    ],
    [
      'a policy attached only to another role of the stack',
      (role, t) => new iam.Policy(role.stack, 'Elsewhere', { roles: [otherRole(role)], statements: [publish(t)] }),
      false,
    ],
    [
      'a Deny of sns:Publish on the topic (no Allow)',
      (role, t) => role.addToPolicy(publish(t, { effect: iam.Effect.DENY })),
      false,
    ],
  ])('a function given the topic ARN whose role has %s', (_name, grant, compliant) => {
    expect(violations(functionPublisher(grant), 'TopicsAdmitTheirPublishers')).toEqual(
      compliant ? [] : ['Paging/High/Topic/Resource'],
    );
  });

  // Every row has three entries: with fewer, jest would pass its `done` callback as the third argument.
  test.each<[string, (role: iam.Role, topicArn: string) => void, ((s: Stack) => iam.IRole) | undefined]>([
    ['no grant at all', () => undefined, undefined],
    ['a grant on another topic', allowPublish((t) => t.replace('app-page-high', 'app-page-low')), undefined],
    [
      'a grant of another action on the topic',
      (role, t) => role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Subscribe'], resources: [t] })),
      undefined,
    ],
    [
      'an imported role, whose grants cannot be read',
      allowPublish((t) => t),
      (s) => iam.Role.fromRoleArn(s, 'Imported', `arn:aws:iam::${ACCOUNT}:role/somebody`),
    ],
  ])('non-compliant: a function given the topic ARN with %s', (_name, grant, role) => {
    expect(violations(functionPublisher(grant, role), 'TopicsAdmitTheirPublishers')).toEqual([
      'Paging/High/Topic/Resource',
    ]);
  });
});

/** Rewrite a resolved L1 property (what the rules read) of `bucket`'s CfnBucket. */
function editReplication(bucket: s3.Bucket, edit: (rules: any[]) => any[]): void {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  const config = Stack.of(cfn).resolve(cfn.replicationConfiguration);
  cfn.replicationConfiguration = { ...config, rules: edit(config.rules) };
}

describe('DR-SiteContentReplicated with several rules', () => {
  function pair(edit: (rules: any[]) => any[]) {
    const app = new App();
    const replica = siteBucket(stack(app, 'Standby', 'us-west-2'), 'Replica', { named: true });
    const source = siteBucket(stack(app, 'Primary', 'us-east-1'), 'Source', { replicateTo: replica });
    editReplication(source, edit);
    return app;
  }
  const both = ['Primary/Source/Resource', 'Standby/Replica/Resource'];

  test('non-compliant: the one rule is disabled', () => {
    expect(
      violations(
        pair(([r]) => [{ ...r, status: 'Disabled' }]),
        'SiteContentReplicated',
      ),
    ).toEqual(both);
  });

  test('non-compliant: the one rule has RTC but no replication metrics', () => {
    const noMetrics = ([r]: any[]) => [{ ...r, destination: { ...r.destination, metrics: { status: 'Disabled' } } }];
    expect(violations(pair(noMetrics), 'SiteContentReplicated')).toEqual(both);
  });

  test('non-compliant: RTC present but disabled', () => {
    const rtcOff = ([r]: any[]) => [
      {
        ...r,
        destination: { ...r.destination, replicationTime: { ...r.destination.replicationTime, status: 'Disabled' } },
      },
    ];
    expect(violations(pair(rtcOff), 'SiteContentReplicated')).toEqual(both);
  });

  test('non-compliant: delete-marker replication present but disabled', () => {
    expect(
      violations(
        pair(([r]) => [{ ...r, deleteMarkerReplication: { status: 'Disabled' } }]),
        'SiteContentReplicated',
      ),
    ).toEqual(both);
  });

  test('non-compliant: a legacy prefix rule (no filter) for part of the bucket', () => {
    expect(
      violations(
        pair(([r]) => [{ ...r, filter: undefined, prefix: 'releases/' }]),
        'SiteContentReplicated',
      ),
    ).toEqual(both);
  });

  test('compliant: a legacy rule with an empty prefix covers the whole bucket', () => {
    expect(
      violations(
        pair(([r]) => [{ ...r, filter: undefined, prefix: '' }]),
        'SiteContentReplicated',
      ),
    ).toEqual([]);
  });

  test('compliant: a disabled rule beside one that meets the bar (it replicates nothing)', () => {
    expect(
      violations(
        pair(([r]) => [{ ...r, id: 'old', priority: 1, status: 'Disabled' }, r]),
        'SiteContentReplicated',
      ),
    ).toEqual([]);
  });

  test('compliant: a disabled rule without RTC or metrics beside one that meets the bar (it replicates nothing)', () => {
    const rules = ([r]: any[]) => [
      {
        ...r,
        id: 'old',
        priority: 1,
        status: 'Disabled',
        destination: { ...r.destination, replicationTime: undefined, metrics: undefined },
      },
      r,
    ];
    expect(violations(pair(rules), 'SiteContentReplicated')).toEqual([]);
  });

  test('non-compliant: a disabled rule and an enabled one without RTC', () => {
    const rules = ([r]: any[]) => [
      { ...r, id: 'off', priority: 1, status: 'Disabled' },
      { ...r, destination: { ...r.destination, replicationTime: undefined, metrics: undefined } },
    ];
    expect(violations(pair(rules), 'SiteContentReplicated')).toEqual(both);
  });

  test('non-compliant: a rule that meets the bar beside an enabled prefix rule without RTC (its objects have no bound)', () => {
    const rules = ([r]: any[]) => [
      r,
      {
        ...r,
        id: 'releases-fast-path',
        priority: 1,
        filter: { prefix: 'releases/' },
        destination: { ...r.destination, replicationTime: undefined, metrics: undefined },
      },
    ];
    expect(violations(pair(rules), 'SiteContentReplicated')).toEqual(both);
  });

  test('non-compliant: a second enabled rule with RTC but without metrics', () => {
    const rules = ([r]: any[]) => [
      r,
      { ...r, id: 'second', priority: 1, destination: { ...r.destination, metrics: undefined } },
    ];
    expect(violations(pair(rules), 'SiteContentReplicated')).toEqual(both);
  });

  test('non-compliant: a destination that is not a site-content bucket of the app', () => {
    const elsewhere = ([r]: any[]) => [
      { ...r, destination: { ...r.destination, bucket: 'arn:aws:s3:::someone-else' } },
    ];
    expect(violations(pair(elsewhere), 'SiteContentReplicated')).toEqual(both);
  });

  test('a plain bucket replicating to the replica does not make it a replica', () => {
    const app = new App();
    const replica = siteBucket(stack(app, 'Standby', 'us-west-2'), 'Replica', { named: true });
    const plain = new s3.Bucket(stack(app, 'Primary', 'us-east-1'), 'Plain', {
      versioned: true,
      replicationRules: [
        {
          destination: replica,
          replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
          metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
          deleteMarkerReplication: true,
        },
      ],
    });
    expect(plain).toBeDefined();
    expect(violations(app, 'SiteContentReplicated')).toEqual(['Standby/Replica/Resource']);
  });
});

describe('DR-SiteContentBackedUp with several buckets and plans', () => {
  function twoBuckets(selectOther: boolean, copyRegion = 'us-west-2') {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const site = siteBucket(s, 'Site');
    const other = new s3.Bucket(s, 'Other');
    const plan = new backup.BackupPlan(s, 'Plan');
    plan.addRule(continuousRuleCopyingTo(s, 'Copy', `arn:aws:backup:${copyRegion}:${ACCOUNT}:backup-vault:v`));
    plan.addSelection('Sel', {
      resources: [backup.BackupResource.fromArn((selectOther ? other : site).bucketArn)],
    });
    // A second plan that selects the site bucket but neither backs up continuously nor copies.
    const snapshots = new backup.BackupPlan(s, 'Snapshots');
    snapshots.addRule(new backup.BackupPlanRule({ deleteAfter: Duration.days(7) }));
    snapshots.addSelection('Sel', { resources: [backup.BackupResource.fromArn(site.bucketArn)] });
    return app;
  }

  test('compliant: one of two plans selecting the bucket meets the bar', () => {
    expect(violations(twoBuckets(false), 'SiteContentBackedUp')).toEqual([]);
  });

  test('non-compliant: the continuous, copying plan selects another bucket', () => {
    expect(violations(twoBuckets(true), 'SiteContentBackedUp')).toEqual(['S/Site/Resource']);
  });

  test('non-compliant: the copy goes to a vault whose region is not literal', () => {
    expect(violations(twoBuckets(false, Aws.REGION), 'SiteContentBackedUp')).toEqual(['S/Site/Resource']);
  });
});

describe('DR-StatefulResourcesRetained, each policy on its own', () => {
  test.each<[string, CfnDeletionPolicy, CfnDeletionPolicy]>([
    ['retained on delete but deleted on replacement', CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.DELETE],
    ['deleted on delete but retained on replacement', CfnDeletionPolicy.DELETE, CfnDeletionPolicy.RETAIN],
    ['snapshot on delete', CfnDeletionPolicy.SNAPSHOT, CfnDeletionPolicy.RETAIN],
  ])('non-compliant: %s', (_name, deletionPolicy, updateReplacePolicy) => {
    const app = new App();
    const s = stack(app, 'D', 'us-east-1');
    const bucket = new s3.Bucket(s, 'Bucket', { removalPolicy: RemovalPolicy.RETAIN });
    const vault = new backup.BackupVault(s, 'Vault', { removalPolicy: RemovalPolicy.RETAIN });
    for (const c of [bucket.node.defaultChild, vault.node.defaultChild] as CfnResource[]) {
      c.cfnOptions.deletionPolicy = deletionPolicy;
      c.cfnOptions.updateReplacePolicy = updateReplacePolicy;
    }
    expect(violations(app, 'StatefulResourcesRetained')).toEqual(['D/Bucket/Resource', 'D/Vault/Resource']);
  });

  test('not applicable: other resources, whatever their policies', () => {
    const app = new App();
    new sns.Topic(stack(app, 'D', 'us-east-1', { terminationProtection: false }), 'Topic');
    expect(violations(app, 'StatefulResourcesRetained')).toEqual([]);
  });
});

describe('DR-Route53AlarmsInUsEast1 on metric math', () => {
  function mathAlarm(region: string, namespace: string) {
    const app = new App();
    new cloudwatch.Alarm(stack(app, 'A', region), 'Alarm', {
      metric: new cloudwatch.MathExpression({
        expression: 'm1 + m2',
        usingMetrics: {
          m1: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
          m2: new cloudwatch.Metric({ namespace, metricName: 'HealthCheckStatus' }),
        },
      }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    return app;
  }

  test('non-compliant: a Route 53 metric inside a math expression outside us-east-1', () => {
    expect(violations(mathAlarm('eu-west-1', 'AWS/Route53'), 'Route53AlarmsInUsEast1')).toEqual(['A/Alarm/Resource']);
  });

  test('compliant: the same in us-east-1', () => {
    expect(violations(mathAlarm('us-east-1', 'AWS/Route53'), 'Route53AlarmsInUsEast1')).toEqual([]);
  });

  test('not applicable: an anomaly detector on a Route 53 metric (it is no alarm; the alarm on its band is judged)', () => {
    const app = new App();
    new cloudwatch.CfnAnomalyDetector(stack(app, 'A', 'eu-west-1'), 'Band', {
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      stat: 'Minimum',
    });
    expect(violations(app, 'Route53AlarmsInUsEast1')).toEqual([]);
  });

  test('not applicable: math over other namespaces', () => {
    expect(violations(mathAlarm('eu-west-1', 'AWS/Lambda'), 'Route53AlarmsInUsEast1')).toEqual([]);
  });
});

describe('DR-PlaybooksInStandbyRegion, regions and types', () => {
  function app(switchRegion: string, playbookRegion: string, type = route53.HealthCheckType.CLOUDWATCH_METRIC) {
    const a = new App();
    new route53.HealthCheck(stack(a, 'Global', 'us-east-1'), 'Switch', {
      type,
      ...(type === route53.HealthCheckType.CLOUDWATCH_METRIC
        ? { alarmIdentifier: { region: switchRegion, name: 'switch' } }
        : { fqdn: 'www.example.com', resourcePath: '/' }),
    });
    const s = stack(a, 'Recovery', playbookRegion);
    for (const playbook of ['status', 'failover', 'failback', 'restore']) {
      const fn = new lambda.Function(s, playbook, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.x=1'),
      });
      (fn.node.defaultChild as lambda.CfnFunction).addMetadata(PLAYBOOK_METADATA, { playbook });
    }
    return a;
  }

  test('compliant: a function without playbook metadata beside the playbooks changes nothing', () => {
    const a = app('us-west-2', 'us-west-2');
    new lambda.Function(a.node.findChild('Recovery') as Stack, 'Unrelated', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.x=1'),
    });
    expect(violations(a, 'PlaybooksInStandbyRegion')).toEqual([]);
  });

  test('non-compliant: an alarm-based check (L1) that names no alarm, so no standby region', () => {
    const a = app('us-west-2', 'us-west-2');
    new route53.CfnHealthCheck(a.node.findChild('Global') as Stack, 'NoAlarm', {
      healthCheckConfig: { type: 'CLOUDWATCH_METRIC', insufficientDataHealthStatus: 'LastKnownStatus' },
    });
    expect(violations(a, 'PlaybooksInStandbyRegion')).toEqual(['Global/NoAlarm']);
  });

  test('non-compliant: every playbook deployed, but in the primary region', () => {
    expect(violations(app('us-west-2', 'us-east-1'), 'PlaybooksInStandbyRegion')).toEqual(['Global/Switch/Resource']);
  });

  test('compliant: the switch names the region the playbooks are in', () => {
    expect(violations(app('eu-west-1', 'eu-west-1'), 'PlaybooksInStandbyRegion')).toEqual([]);
  });

  test('not applicable: an endpoint health check names no standby region', () => {
    expect(
      violations(app('us-west-2', 'us-east-1', route53.HealthCheckType.HTTPS), 'PlaybooksInStandbyRegion'),
    ).toEqual([]);
  });
});

describe('DR-FailoverRolesWithoutRoute53Write with several roles, statements and policies', () => {
  const readOnly = new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] });
  const write = new iam.PolicyStatement({ actions: ['route53:ChangeResourceRecordSets'], resources: ['*'] });

  /** A failover playbook, a status playbook and an unrelated function, each with its own role. */
  function app(o: {
    failover?: iam.PolicyStatement[];
    inline?: iam.PolicyStatement[];
    others?: iam.PolicyStatement[];
    managed?: string[];
    sharedPolicyStatements?: iam.PolicyStatement[];
    /** Attach the shared policy to the failover role too (listed second). */
    shareWithFailover?: boolean;
    importedRole?: boolean;
    playbook?: string;
  }) {
    const a = new App();
    const s = stack(a, 'Recovery', 'us-west-2');
    const role = (id: string, statements: iam.PolicyStatement[] = [], inline?: iam.PolicyStatement[]) => {
      const r = new iam.Role(s, id, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        managedPolicies: [
          iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
          ...(id === 'FailoverRole' ? (o.managed ?? []) : []).map((m) => iam.ManagedPolicy.fromAwsManagedPolicyName(m)),
        ],
        inlinePolicies: inline ? { Inline: new iam.PolicyDocument({ statements: inline }) } : undefined,
      });
      for (const st of statements) r.addToPolicy(st);
      return r;
    };
    const failoverRole = o.importedRole
      ? iam.Role.fromRoleArn(s, 'FailoverRole', `arn:aws:iam::${ACCOUNT}:role/elsewhere`)
      : role('FailoverRole', o.failover ?? [readOnly], o.inline);
    const statusRole = role('StatusRole', o.others ?? []);
    const otherRole = role('OtherRole', o.others ?? []);
    if (o.sharedPolicyStatements) {
      const roles = o.shareWithFailover ? [statusRole, failoverRole, otherRole] : [statusRole, otherRole];
      new iam.Policy(s, 'Shared', { statements: o.sharedPolicyStatements, roles });
    }
    const fn = (id: string, r: iam.IRole, playbook?: string) => {
      const f = new lambda.Function(s, id, {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.x=1'),
        role: r,
      });
      if (playbook) (f.node.defaultChild as lambda.CfnFunction).addMetadata(PLAYBOOK_METADATA, { playbook });
    };
    fn('Failover', failoverRole, o.playbook ?? 'failover');
    fn('Status', statusRole, 'status');
    fn('Other', otherRole);
    return a;
  }
  const failover = ['Recovery/Failover/Resource'];

  test('compliant: only the read-only statement, basic execution', () => {
    expect(violations(app({}), 'FailoverRolesWithoutRoute53Write')).toEqual([]);
  });

  test('non-compliant: one write statement among read-only ones', () => {
    const statements = [readOnly, new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }), write];
    expect(violations(app({ failover: statements }), 'FailoverRolesWithoutRoute53Write')).toEqual(failover);
  });

  test('non-compliant: one write action among read-only actions of one statement', () => {
    const statement = new iam.PolicyStatement({
      actions: ['route53:GetHealthCheckStatus', 'cloudwatch:PutMetricData', 'route53:UpdateHealthCheck'],
      resources: ['*'],
    });
    expect(violations(app({ failover: [statement] }), 'FailoverRolesWithoutRoute53Write')).toEqual(failover);
  });

  test('non-compliant: the write is in an inline policy of the role', () => {
    expect(violations(app({ inline: [readOnly, write] }), 'FailoverRolesWithoutRoute53Write')).toEqual(failover);
  });

  test('compliant: a Deny of Route 53 writes is not a grant', () => {
    const deny = new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['route53:*'], resources: ['*'] });
    expect(violations(app({ failover: [readOnly, deny], inline: [deny] }), 'FailoverRolesWithoutRoute53Write')).toEqual(
      [],
    );
  });

  test('compliant: other roles (a status playbook, an unrelated function) may write Route 53', () => {
    expect(
      violations(app({ others: [write], sharedPolicyStatements: [write] }), 'FailoverRolesWithoutRoute53Write'),
    ).toEqual([]);
  });

  test('non-compliant: a policy attached to the status role and, among others, to the failover role', () => {
    expect(
      violations(
        app({ sharedPolicyStatements: [readOnly, write], shareWithFailover: true }),
        'FailoverRolesWithoutRoute53Write',
      ),
    ).toEqual(failover);
  });

  test('non-compliant: the failback playbook is held to the same bar', () => {
    expect(violations(app({ failover: [write], playbook: 'failback' }), 'FailoverRolesWithoutRoute53Write')).toEqual(
      failover,
    );
  });

  test('not applicable: a write on the status playbook', () => {
    expect(violations(app({ failover: [write], playbook: 'status' }), 'FailoverRolesWithoutRoute53Write')).toEqual([]);
  });

  test('non-compliant: basic execution plus another managed policy', () => {
    expect(violations(app({ managed: ['ReadOnlyAccess'] }), 'FailoverRolesWithoutRoute53Write')).toEqual(failover);
  });

  test('non-compliant: a role from outside the stack cannot be checked', () => {
    expect(violations(app({ importedRole: true }), 'FailoverRolesWithoutRoute53Write')).toEqual(failover);
  });

  test('non-compliant: a Route 53 write in a policy written as L1 with a single action string', () => {
    const a = app({});
    const s = a.node.findChild('Recovery') as Stack;
    const roleId = s.resolve((s.node.findChild('FailoverRole').node.defaultChild as iam.CfnRole).logicalId);
    new iam.CfnPolicy(s, 'Raw', {
      policyName: 'raw',
      roles: [{ Ref: roleId } as any],
      policyDocument: {
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Action: 'route53:DeleteHealthCheck', Resource: '*' },
      },
    });
    expect(violations(a, 'FailoverRolesWithoutRoute53Write')).toEqual(failover);
  });

  test.each([
    ['route53:ChangeTagsForResource', true],
    ['route53:CreateHealthCheck', true],
    ['route53:DeleteHostedZone', true],
    ['route53:AssociateVPCWithHostedZone', true],
    ['route53:DisassociateVPCFromHostedZone', true],
    ['route53:ActivateKeySigningKey', true],
    ['route53:DeactivateKeySigningKey', true],
    ['route53:EnableHostedZoneDNSSEC', true],
    ['route53:DisableHostedZoneDNSSEC', true],
    ['Route53:UpdateHealthCheck', true],
    ['route53:*HealthCheck', true],
    ['*', true],
    ['route53:*', true],
    ['route53:Get*', false],
    ['route53:ListHostedZones', false],
    ['route53:GetHealthCheckStatus', false],
    ['s3:*', false],
    ['xroute53:ChangeResourceRecordSets', false],
    ['route53:TestDNSAnswer', false],
    ['route53domains:UpdateDomainContact', false],
  ])('isRoute53Write(%s) is %s', (action, expected) => {
    expect(isRoute53Write(action)).toBe(expected);
  });
});

describe('the full DR pack', () => {
  // The tests above run one rule at a time (violations() in ./rules/fixtures); this one checks that
  // the pack the app uses applies every rule and reports what each reports on its own.
  test('reports, for every rule, what that rule reports on its own', () => {
    const app = new App();
    const west = stack(app, 'West', 'us-west-2', { terminationProtection: false });
    siteBucket(west, 'Unversioned', { versioned: false, removalPolicy: RemovalPolicy.DESTROY });
    new cloudwatch.Alarm(west, 'Health', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/Route53', metricName: 'HealthCheckStatus' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    const report = new DrChecks().validateScope(app);
    const full = (rule: string) =>
      report.violations
        .filter((v) => v.ruleName === `DR-${rule}`)
        .flatMap((v) => v.violatingResources.map((r) => r.constructPath!))
        .sort();
    const names = DR_RULES.map((r) => r.rule.name);
    expect(Object.fromEntries(names.map((name) => [name, full(name)]))).toEqual(
      Object.fromEntries(names.map((name) => [name, violations(app, name)])),
    );
    expect(names.filter((name) => full(name).length > 0)).toEqual([
      'SiteContentVersioned',
      'SiteContentReplicated',
      'SiteContentBackedUp',
      'SiteContentHistoryProtected',
      'Route53AlarmsInUsEast1',
      'AlarmsPageOneUrgency',
      'StatefulResourcesRetained',
    ]);
  });
});
