// Small stacks for the DR rules' tests (jest's unit project): the rule report of an app, and the
// pieces most rules look at. test/posture/dr-rules.test.ts and test/paging/paging.test.ts use them too.
import { type App, CfnResource, Duration, PhysicalName, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagMessageLevel } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { DR_RULES, DrChecks } from '../../../lib/posture/dr-checks';
import { markSiteContent } from '../../../lib/posture/site-content';

export const ACCOUNT = '111111111111';

/**
 * The DR pack reduced to one of its rules: the same pack name, rule, texts and level, so its report
 * on that rule is the full pack's (rules are pure functions of one resource and cdk-nag applies each
 * on its own). A test then runs only the rule it asserts on, which is what lets mutation testing's
 * per-test coverage run a rule's mutants against that rule's tests alone, instead of every test
 * that builds an app (README, "Mutation testing"). test/posture/dr-checks.test.ts runs the full pack.
 */
class OneDrRule extends DrChecks {
  constructor(private readonly entry: (typeof DR_RULES)[number]) {
    super();
  }

  protected override checkResource(node: CfnResource): void {
    this.applyRule({ ...this.entry, level: NagMessageLevel.ERROR, node });
  }
}

/**
 * Construct paths of the resources that break `rule`, sorted. The rule also runs on its own on every
 * resource first, so that a rule that throws fails the test: cdk-nag would report the throw as one
 * more finding of the rule, which a test expecting that resource to be flagged cannot tell apart.
 */
export function violations(scope: IConstruct, rule: string): string[] {
  const entry = DR_RULES.find((r) => r.rule.name === rule);
  if (!entry) throw new Error(`no DR rule named ${rule}`);
  for (const node of scope.node.findAll()) {
    if (CfnResource.isCfnResource(node)) entry.rule(node);
  }
  const report = new OneDrRule(entry).validateScope(scope);
  return report.violations
    .filter((v) => v.ruleName === `DR-${rule}`)
    .flatMap((v) => v.violatingResources.map((r) => r.constructPath!))
    .sort();
}

/** A termination-protected stack of ACCOUNT in `region`. */
export function stack(app: App, id: string, region: string, props: StackProps = {}): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region }, terminationProtection: true, ...props });
}

/** A versioned, retained bucket marked as holding site content. */
export function siteBucket(scope: Stack, id: string, props: s3.BucketProps = {}): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
  markSiteContent(bucket.node.defaultChild as s3.CfnBucket);
  return bucket;
}

/** A named site bucket (its name is what a replication rule's destination ARN carries). */
export function namedSiteBucket(scope: Stack, id: string): s3.Bucket {
  return siteBucket(scope, id, { bucketName: PhysicalName.GENERATE_IF_NEEDED });
}

/**
 * A backup rule that DR-SiteContentBackedUp accepts: continuous backup kept 35 days, copied to the
 * vault at `copyVaultArn` (imported into `scope` as `copyId`), the copy kept `copyDeleteAfter`.
 */
export function continuousRuleCopyingTo(
  scope: Stack,
  copyId: string,
  copyVaultArn: string,
  copyDeleteAfter?: Duration,
): backup.BackupPlanRule {
  return new backup.BackupPlanRule({
    enableContinuousBackup: true,
    deleteAfter: Duration.days(35),
    copyActions: [
      {
        destinationBackupVault: backup.BackupVault.fromBackupVaultArn(scope, copyId, copyVaultArn),
        deleteAfter: copyDeleteAfter,
      },
    ],
  });
}
