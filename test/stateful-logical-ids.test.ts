import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { buildUnits, defaultConfig, sharedTemplates } from './support/app';

// A stateful resource's logical id is a contract (aws-cdk's DESIGN_GUIDELINES: construct ids): a
// new id makes CloudFormation create a new resource and delete the old one, or with RETAIN orphan
// it: a new, empty bucket or vault, a health check or record replaced under live traffic, a
// parameter the playbooks no longer read. Each id is listed here, by stack, so that a rename fails
// this test with that consequence spelled out; a snapshot alone would be accepted by `jest -u`.

const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::Backup::BackupVault',
  'AWS::Backup::LogicallyAirGappedBackupVault',
  'AWS::Route53::HealthCheck',
  'AWS::Route53::RecordSet',
  'AWS::SSM::Parameter',
];

type Ids = Record<string, string[]>;

const DATA: Ids = {
  'AWS::S3::Bucket': ['SiteAccessLogs536C0B75', 'SiteBucket978D4AEB'],
  'AWS::Backup::BackupVault': ['BackupVaultADF21B19'],
  'AWS::SSM::Parameter': ['LiveRelease17D6536B', 'SiteBucketName7F05C1E5'],
};

const EXPECTED: Record<string, Ids> = {
  'portfolio-data-primary': DATA,
  'portfolio-data-standby': DATA,
  'portfolio-hosting-primary': { 'AWS::Route53::RecordSet': ['RegionalRecordE3D88E06'] },
  'portfolio-hosting-standby': { 'AWS::Route53::RecordSet': ['RegionalRecordE3D88E06'] },
  'portfolio-global-dns': {
    'AWS::Route53::HealthCheck': [
      'PrimaryHealth7B026B2D',
      'PrimaryServingHealth0F136B5B',
      'StandbyHealth7D3712B5',
      'TrafficSwitchHealth3A9220C3',
    ],
    'AWS::Route53::RecordSet': ['PrimaryRecord78148A88', 'StandbyRecord3B166970'],
  },
  'portfolio-recovery-primary': {},
  'portfolio-recovery-standby': {},
};

/** With protection.airGappedCopy, each data stack also holds the air-gapped vault. */
const AIR_GAPPED: Ids = { ...DATA, 'AWS::Backup::LogicallyAirGappedBackupVault': ['BackupAirGappedVault6D9B257E'] };

interface Template {
  readonly Resources: Record<string, { Type: string }>;
}

/** What differs between the stateful resources of a template and the ids expected: one line each. */
function logicalIdChanges(stack: string, template: Template, expected: Ids): string[] {
  const actual: Ids = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (STATEFUL_TYPES.includes(resource.Type)) (actual[resource.Type] ??= []).push(id);
  }
  const changes: string[] = [];
  for (const type of STATEFUL_TYPES) {
    const want = expected[type] ?? [];
    const have = actual[type] ?? [];
    for (const id of want.filter((i) => !have.includes(i))) {
      changes.push(
        `${stack}: ${type} ${id} is gone; if it was renamed, CloudFormation would replace the resource (create the new id, delete or orphan the old one). Restore its construct id, or list the new id here if the replacement is intended.`,
      );
    }
    for (const id of have.filter((i) => !want.includes(i)).sort()) {
      changes.push(`${stack}: ${type} ${id} is new: list it in test/stateful-logical-ids.test.ts.`);
    }
  }
  return changes;
}

describe('logical ids of stateful resources (default config)', () => {
  const t = sharedTemplates();
  test.each([
    ['portfolio-data-primary', t.dataPrimary],
    ['portfolio-data-standby', t.dataStandby],
    ['portfolio-hosting-primary', t.hostingPrimary],
    ['portfolio-hosting-standby', t.hostingStandby],
    ['portfolio-global-dns', t.global],
    ['portfolio-recovery-primary', t.recoveryPrimary],
    ['portfolio-recovery-standby', t.recoveryStandby],
  ])('%s keeps them', (stack, template) => {
    expect(logicalIdChanges(stack, template.toJSON() as Template, EXPECTED[stack])).toEqual([]);
  });
});

test('with the air-gapped copy on, both data stacks keep them, the air-gapped vault included', () => {
  // The data unit only: the protection options are read by the data stacks alone.
  const { stacks } = buildUnits(
    ['data'],
    { ...defaultConfig(), protection: { ...defaultConfig().protection, airGappedCopy: true } },
    { bundling: false },
  );
  const template = (stack: typeof stacks.data.primary) => CdkTemplate.fromStack(stack).toJSON() as Template;
  expect([
    ...logicalIdChanges('portfolio-data-primary', template(stacks.data.primary), AIR_GAPPED),
    ...logicalIdChanges('portfolio-data-standby', template(stacks.data.standby), AIR_GAPPED),
  ]).toEqual([]);
});

test('a renamed bucket fails, saying the bucket would be replaced', () => {
  const template = sharedTemplates().dataPrimary.toJSON() as Template;
  const { SiteBucket978D4AEB: bucket, ...others } = template.Resources;
  const renamed = { Resources: { ...others, SiteContent1234ABCD: bucket } };
  expect(logicalIdChanges('portfolio-data-primary', renamed, DATA)).toEqual([
    'portfolio-data-primary: AWS::S3::Bucket SiteBucket978D4AEB is gone; if it was renamed, CloudFormation would replace the resource (create the new id, delete or orphan the old one). Restore its construct id, or list the new id here if the replacement is intended.',
    'portfolio-data-primary: AWS::S3::Bucket SiteContent1234ABCD is new: list it in test/stateful-logical-ids.test.ts.',
  ]);
});
