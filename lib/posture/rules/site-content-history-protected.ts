import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { isSiteContent } from '../site-content';
import { logicalId, referencedLogicalId, resolved } from './support';

/** What a site bucket's policy must deny: destroying, shortening or stopping its history. */
export const HISTORY_ACTIONS = [
  's3:DeleteObjectVersion',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutReplicationConfiguration',
] as const;

/** Condition operators that exempt the principals they list (and no one else). */
const EXEMPTING_OPERATORS = new Set(['arnnotlike', 'arnnotequals', 'stringnotlike', 'stringnotequals']);

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
function covers(pattern: string, action: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(action.toLowerCase());
}

const isEveryone = (principal: unknown) =>
  principal === '*' || (principal as { AWS?: unknown } | undefined)?.AWS === '*';

/**
 * Exemptions are named principals only: every condition tests aws:PrincipalArn with a negated
 * operator, and no exempted value holds a wildcard (which could exempt everyone).
 */
function exemptsOnlyNamedPrincipals(condition: Record<string, Record<string, unknown>> | undefined): boolean {
  return Object.entries(condition ?? {}).every(
    ([operator, keys]) =>
      EXEMPTING_OPERATORS.has(operator.toLowerCase()) &&
      Object.entries(keys).every(
        ([key, values]) =>
          key.toLowerCase() === 'aws:principalarn' &&
          list(values).every((v) => typeof v !== 'string' || !v.includes('*')),
      ),
  );
}

/** Whether a resource entry is the bucket's ARN (`bucket`) or an ARN of all its objects (`objects`). */
function resourceKind(resource: unknown, bucketId: string): 'bucket' | 'objects' | undefined {
  if (referencedLogicalId(resource) === bucketId) return 'bucket';
  const join = (resource as any)?.['Fn::Join'];
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) && join[1].length === 2) {
    const [arn, suffix] = join[1];
    if (referencedLogicalId(arn) === bucketId && suffix === '/*') return 'objects';
  }
  return undefined;
}

function deniesHistoryChanges(statement: any, bucketId: string): boolean {
  const kinds = new Set(list(statement.Resource).map((r) => resourceKind(r, bucketId)));
  return (
    statement.Effect === 'Deny' &&
    isEveryone(statement.Principal) &&
    statement.NotPrincipal === undefined &&
    statement.NotAction === undefined &&
    HISTORY_ACTIONS.every((action) => list<string>(statement.Action).some((p) => covers(p, action))) &&
    kinds.has('bucket') &&
    kinds.has('objects') &&
    exemptsOnlyNamedPrincipals(statement.Condition)
  );
}

/**
 * A bucket holding site content has a bucket policy that denies, to every principal but named
 * exemptions (the break-glass role, CloudFormation's execution role), deleting object versions and
 * changing lifecycle, versioning or replication: the history that restores work from cannot be
 * destroyed, shortened or stopped by whoever holds ordinary admin or playbook credentials.
 */
export function SiteContentHistoryProtected(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof s3.CfnBucket) || !isSiteContent(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const bucketId = logicalId(node);
  const protectedByPolicy = Stack.of(node)
    .node.findAll()
    .filter((c): c is s3.CfnBucketPolicy => c instanceof s3.CfnBucketPolicy)
    .filter((p) => referencedLogicalId(resolved(p, p.bucket)) === bucketId)
    .some((p) => list(resolved(p, p.policyDocument)?.Statement).some((st) => deniesHistoryChanges(st, bucketId)));
  return protectedByPolicy ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
