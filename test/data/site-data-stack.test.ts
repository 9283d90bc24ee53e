import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SiteDataStack } from '../../lib/data/site-data-stack';
import { buildUnits, sharedTemplates } from '../support/app';
import { pagingTopicArn } from '../support/paging';

// The default config's templates come from the run's shared synthesis; the construct tree and the
// other configs build the data unit only (the data stacks and the paging stacks they depend on, as
// in the whole app: test/portfolio-dr-app.test.ts).
const t = buildUnits(['data'], undefined, { bundling: false });
const { dataPrimary, dataStandby } = sharedTemplates();
const both: [string, Template][] = [
  ['primary', dataPrimary],
  ['standby', dataStandby],
];

/** The site bucket is the versioned one with access logging configured. */
function siteBucket(template: Template): [string, any] {
  const buckets = Object.entries(
    template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } }),
  );
  expect(buckets).toHaveLength(1);
  return buckets[0];
}

describe.each(both)('%s data stack', (_role, template) => {
  test('the site bucket is versioned', () => {
    expect(siteBucket(template)[1].Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('every bucket is encrypted at rest', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    for (const b of buckets) {
      expect(b.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
    }
  });

  test('every bucket blocks all public access and disables ACLs', () => {
    for (const b of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
  });

  test('every bucket denies requests without TLS 1.2', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      const denies = p.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Deny');
      expect(denies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({ Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      );
    }
  });

  test('the site bucket logs access to the log bucket', () => {
    const [, bucket] = siteBucket(template);
    const logBucketId = Object.keys(template.findResources('AWS::S3::Bucket')).find(
      (id) => id !== siteBucket(template)[0],
    );
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: 'site-bucket/',
    });
  });

  test('stateful resources are retained when the stack or resource is deleted', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::Backup::BackupVault']) {
      const resources = Object.values(template.findResources(type));
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) {
        expect(r.DeletionPolicy).toBe('Retain');
        expect(r.UpdateReplacePolicy).toBe('Retain');
      }
    }
  });

  test('the stack is termination-protected', () => {
    const stack = _role === 'primary' ? t.stacks.data.primary : t.stacks.data.standby;
    expect(stack.terminationProtection).toBe(true);
  });

  test('continuous backup (point-in-time restore for 35 days) covers the site bucket', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            EnableContinuousBackup: true,
            Lifecycle: { DeleteAfterDays: 35 },
            ScheduleExpression: 'cron(0 5 * * ? *)',
          }),
        ],
      },
    });
    const [siteId] = siteBucket(template);
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [siteId, 'Arn'] }] }),
    });
  });

  test('recovery points are copied to the vault of the same name in the other region', () => {
    const other = _role === 'primary' ? 'us-west-2' : 'us-east-1';
    template.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultName: 'portfolio-site-vault' });
    const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0];
    const [rule] = plan.Properties.BackupPlan.BackupPlanRule;
    expect(rule.CopyActions).toHaveLength(1);
    expect(JSON.stringify(rule.CopyActions[0].DestinationBackupVaultArn)).toContain(
      `:backup:${other}:111111111111:backup-vault:portfolio-site-vault`,
    );
  });

  test('both vaults are locked in compliance mode, for at least the 35-day point-in-time window', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'portfolio-site-vault',
      LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 365, ChangeableForDays: 7 },
    });
  });

  test('the site bucket denies deleting versions and changing lifecycle, versioning, replication or its policy to all but break-glass and CloudFormation', () => {
    const [siteId] = siteBucket(template);
    const region = _role === 'primary' ? 'us-east-1' : 'us-west-2';
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === siteId,
    )!;
    const deny = policy.Properties.PolicyDocument.Statement.find(
      (st: any) => st.Sid === 'DenyHistoryChangesExceptBreakGlass',
    );
    expect(deny).toEqual({
      Sid: 'DenyHistoryChangesExceptBreakGlass',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [
        's3:DeleteBucketPolicy',
        's3:DeleteObjectVersion',
        's3:PutBucketPolicy',
        's3:PutBucketVersioning',
        's3:PutLifecycleConfiguration',
        's3:PutReplicationConfiguration',
      ],
      Resource: [{ 'Fn::GetAtt': [siteId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [siteId, 'Arn'] }, '/*']] }],
      Condition: {
        ArnNotLike: {
          'aws:PrincipalArn': [
            'arn:aws:iam::111111111111:role/portfolio-break-glass',
            `arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-${region}`,
          ],
        },
      },
    });
  });

  test('the backup role holds the S3 backup and restore policies only, copies into the copy vault only, and trusts AWS Backup without a condition the service is not documented to meet', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] },
      },
    });
    const [roleId, role] = Object.entries(roles)[0];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'backup.amazonaws.com' },
      },
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns).match(/policy\/[\w/]+/g)).toEqual([
      'policy/AWSBackupServiceRolePolicyForS3Backup',
      'policy/AWSBackupServiceRolePolicyForS3Restore',
    ]);
    const other = _role === 'primary' ? 'us-west-2' : 'us-east-1';
    const region = _role === 'primary' ? 'us-east-1' : 'us-west-2';
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Action: ['backup:CopyIntoBackupVault', 'backup:DescribeBackupVault'],
        Effect: 'Allow',
        Resource: `arn:aws:backup:${other}:111111111111:backup-vault:portfolio-site-vault`,
      },
      {
        Action: 'backup:CopyFromBackupVault',
        Effect: 'Allow',
        Resource: `arn:aws:backup:${region}:111111111111:recovery-point:*`,
      },
    ]);
  });

  test('no air-gapped vault unless the config asks for one', () => {
    template.resourceCountIs('AWS::Backup::LogicallyAirGappedBackupVault', 0);
  });

  test('the site bucket keeps EventBridge notifications on (AWS Backup for S3 and the live-release watch need them), set by CloudFormation itself', () => {
    expect(siteBucket(template)[1].Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    // Not through the L2 `eventBridgeEnabled`, whose custom resource and handler Lambda would manage it.
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  test('noncurrent versions are kept for the configured retention', () => {
    expect(siteBucket(template)[1].Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 365 }, Status: 'Enabled' }),
    ]);
  });

  test('SSM parameters tell the hosting stack which bucket and release to serve', () => {
    const [siteId] = siteBucket(template);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/portfolio/site-bucket-name',
      Value: { Ref: siteId },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/portfolio/live-release', Value: 'bootstrap' });
  });

  test('the live-release parameter keeps exactly the properties it was created with', () => {
    // After the first deploy the release playbooks own this parameter's value. CloudFormation
    // leaves a resource alone while its properties are unchanged, but any change to them (a new
    // description, a tag added to the whole app, a tier) updates the parameter with the template's
    // Value: the live release would go back to "bootstrap", and the next hosting deploy would serve
    // it. The config-change runbook stops on any diff to this parameter (ADR 0003).
    const parameters = Object.values(template.findResources('AWS::SSM::Parameter')).filter(
      (r) => r.Properties.Name === '/portfolio/live-release',
    );
    expect(parameters).toEqual([
      {
        Type: 'AWS::SSM::Parameter',
        Properties: {
          Name: '/portfolio/live-release',
          Type: 'String',
          Value: 'bootstrap',
          Description: 'Id of the release this region serves (releases/<id>/ in the site bucket).',
        },
      },
    ]);
  });
});

describe('replication primary -> standby', () => {
  const standbyName = dataStandby.toJSON().Resources[siteBucket(dataStandby)[0]].Properties.BucketName;
  const rules = () => siteBucket(dataPrimary)[1].Properties.ReplicationConfiguration.Rules;

  test('the primary replicates every object to the standby bucket', () => {
    expect(typeof standbyName).toBe('string');
    expect(rules()).toHaveLength(1);
    expect(rules()[0]).toMatchObject({
      Status: 'Enabled',
      Filter: { Prefix: '' },
      Destination: { Bucket: `arn:aws:s3:::${standbyName}` },
    });
  });

  test('replication uses Replication Time Control (15 minutes)', () => {
    expect(rules()[0].Destination.ReplicationTime).toEqual({ Status: 'Enabled', Time: { Minutes: 15 } });
  });

  test('replication metrics are on', () => {
    expect(rules()[0].Destination.Metrics).toEqual({ Status: 'Enabled', EventThreshold: { Minutes: 15 } });
  });

  test('delete markers are replicated', () => {
    expect(rules()[0].DeleteMarkerReplication).toEqual({ Status: 'Enabled' });
  });

  test('the standby does not replicate anywhere', () => {
    expect(siteBucket(dataStandby)[1].Properties.ReplicationConfiguration).toBeUndefined();
  });

  test('site bucket names are derived from app, account and region, not written by hand', () => {
    expect(siteBucket(dataPrimary)[1].Properties.BucketName).toBe('portfolio-site-111111111111-us-east-1');
    expect(standbyName).toBe('portfolio-site-111111111111-us-west-2');
    for (const template of [dataPrimary, dataStandby]) {
      const logBucket = Object.entries(template.findResources('AWS::S3::Bucket')).find(
        ([, b]) => !b.Properties.LoggingConfiguration,
      )!;
      expect(logBucket[1].Properties.BucketName).toBeUndefined();
    }
  });

  test('a replication lag over the RPO pages the operator', () => {
    const alarm = Object.values(dataPrimary.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.MetricName === 'ReplicationLatency',
    )!;
    expect(alarm.Properties).toMatchObject({
      AlarmName: 'portfolio-replication-latency-over-rpo',
      AlarmDescription:
        'Replication to the standby region is slower than the RPO (30 min). Runbook: docs/runbooks/replication-drift.md',
      Namespace: 'AWS/S3',
      Threshold: 30 * 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: expect.arrayContaining([{ Name: 'RuleId', Value: 'site-to-standby' }]),
    });
    // SEV2 (the RPO is at risk): high urgency, through the paging stack of the primary's region.
    expect(alarm.Properties.AlarmActions).toEqual([pagingTopicArn('us-east-1', 'high', true)]);
    expect(alarm.Properties.OKActions).toEqual([pagingTopicArn('us-east-1', 'high', true)]);
  });

  test.each([
    ['primary', () => dataPrimary],
    ['standby', () => dataStandby],
  ])('the %s data stack outputs the backup role, which carries the S3 restore policy', (_role, template) => {
    const roles = template().findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'backup.amazonaws.com' } }] } },
    });
    const [roleId] = Object.keys(roles);
    expect(JSON.stringify(roles[roleId].Properties.ManagedPolicyArns)).toContain(
      'AWSBackupServiceRolePolicyForS3Restore',
    );
    template().hasOutput('BackupRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });

  test('the data stacks have no paging topic of their own; the primary deploys after its paging stack', () => {
    expect(dataPrimary.findResources('AWS::SNS::Topic')).toEqual({});
    expect(dataStandby.findResources('AWS::SNS::Topic')).toEqual({});
    expect(t.stacks.data.primary.dependencies).toContain(t.stacks.paging.get('us-east-1'));
  });

  test("each data stack deploys after its region's paging stack (its backup job rules publish to the low topic)", () => {
    expect(t.stacks.data.standby.dependencies).toContain(t.stacks.paging.get(t.stacks.data.standby.region));
    expect(t.stacks.data.primary.dependencies).toContain(t.stacks.paging.get(t.stacks.data.primary.region));
  });

  test("failed or expired backup jobs and failed copy jobs of each region's vault page low urgency", () => {
    for (const [tpl, region] of [
      [dataPrimary, t.stacks.data.primary.region],
      [dataStandby, t.stacks.data.standby.region],
    ] as const) {
      const rules = Object.values(tpl.findResources('AWS::Events::Rule')).filter(
        (r) => r.Properties.EventPattern?.source?.[0] === 'aws.backup',
      );
      expect(rules.map((r) => r.Properties.EventPattern['detail-type'][0]).sort()).toEqual([
        'Backup Job State Change',
        'Copy Job State Change',
      ]);
      for (const rule of rules) expect(rule.Properties.Targets[0].Arn).toEqual(pagingTopicArn(region, 'low', true));
    }
  });

  test('failed replication pages the operator', () => {
    dataPrimary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OperationsFailedReplication',
      AlarmName: 'portfolio-replication-failed',
      AlarmDescription:
        'Objects failed to replicate to the standby region. Runbook: docs/runbooks/replication-drift.md',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      // SEV3: a recovery option is degraded.
      AlarmActions: [pagingTopicArn('us-east-1', 'low', true)],
    });
  });

  test('the primary data stack is deployed after the standby it replicates into', () => {
    expect(t.stacks.data.primary.dependencies).toContain(t.stacks.data.standby);
  });
});

describe('protection options in the config', () => {
  // The protection options are read by the data stacks only (lib/data/site-data-stack.ts), so the
  // rest of such an app is the default one, which test/nag.test.ts checks.
  const custom = buildUnits(
    ['data'],
    { ...t.config, protection: { breakGlassRoleName: 'ops-break-glass', airGappedCopy: true } },
    { bundling: false },
  );
  const data = Template.fromStack(custom.stacks.data.primary);

  test('a named break-glass role replaces the default one in the bucket policy', () => {
    expect(JSON.stringify(data.toJSON())).toContain('arn:aws:iam::111111111111:role/ops-break-glass');
    expect(JSON.stringify(data.toJSON())).not.toContain('portfolio-break-glass');
  });

  test('cdk-nag finds nothing to acknowledge in that variant either', () => {
    const report = new AwsSolutionsChecks().validateScope(custom.app);
    expect(
      report.violations.flatMap((v) => v.violatingResources.map((r) => `${r.constructPath} ${v.ruleName}`)),
    ).toEqual([]);
  });

  test('airGappedCopy adds a retained, locked air-gapped vault that receives a copy of every recovery point', () => {
    const vaults = Object.entries(data.findResources('AWS::Backup::LogicallyAirGappedBackupVault'));
    expect(vaults).toHaveLength(1);
    const [vaultId, vault] = vaults[0];
    expect(vault).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { BackupVaultName: 'portfolio-site-air-gapped', MinRetentionDays: 35, MaxRetentionDays: 365 },
    });
    const plan = Object.values(data.findResources('AWS::Backup::BackupPlan'))[0];
    const [rule] = plan.Properties.BackupPlan.BackupPlanRule;
    expect(rule.CopyActions).toHaveLength(2);
    expect(rule.CopyActions[1]).toEqual({
      DestinationBackupVaultArn: { 'Fn::GetAtt': [vaultId, 'BackupVaultArn'] },
      Lifecycle: { DeleteAfterDays: 35 },
    });
    expect(JSON.stringify(data.findResources('AWS::IAM::Policy'))).toContain(
      `{"Fn::GetAtt":["${vaultId}","BackupVaultArn"]}`,
    );
  });
});

test('only the primary replicates', () => {
  const app = new App();
  expect(
    () => new SiteDataStack(app, 's', { config: t.config, pager: t.stacks.pager, role: 'standby', replicate: true }),
  ).toThrow('SiteDataStack s: only the primary replicates; got replicate=true for role "standby"');
});
