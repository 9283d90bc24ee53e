import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Helpers that acknowledge cdk-nag findings on one construct, and skip checkov checks on one resource,
 * each with a reason: every accepted exception of both scanners is written through this file.
 * Acknowledgements here never target an App or a Stack: test/nag.test.ts enforces it.
 */

/** Flattens a resolved CloudFormation value the way cdk-nag renders it in finding ids. */
function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in o) return flatten(o['Fn::Sub']);
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Fn::ImportValue' in o) return flatten(o['Fn::ImportValue']);
    if ('Ref' in o) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** The finding id cdk-nag's IAM5 rule reports for a wildcard resource (an ARN or a token). */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** The finding id cdk-nag's IAM5 rule reports for a wildcard action such as `s3:GetObject*`. */
export function wildcardActionFinding(action: string): string {
  return `AwsSolutions-IAM5[Action::${action}]`;
}

/** The finding id cdk-nag's IAM4 rule reports for an AWS-managed policy, by its name. */
export function managedPolicyFinding(policyName: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`;
}

/** Acknowledge each finding on exactly this construct, with one reason for all of them. */
export function acknowledge(construct: IConstruct, findings: readonly string[], reason: string): void {
  for (const id of findings) Validations.of(construct).acknowledge({ id, reason });
}

/** A checkov check id, such as `CKV_AWS_117` or `CKV2_AWS_5`. */
const CHECKOV_ID = /^CKV2?_AWS_\d+$/;

/** checkov's own reading of a skip: `Metadata.checkov.skip` on a CloudFormation resource. */
export interface CheckovSkip {
  readonly id: string;
  readonly comment: string;
}

/** The CloudFormation resource a construct stands for: itself, or its default child. */
function cfnResourceOf(construct: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(construct)) return construct;
  const child = construct.node.defaultChild;
  if (child && CfnResource.isCfnResource(child)) return child;
  throw new Error(
    `skipCheckov: ${construct.node.path} is not a CloudFormation resource and has no default child that is one`,
  );
}

/**
 * Skip checkov checks on exactly this resource (a CfnResource, or an L2 construct whose default child
 * is one), with one reason for all of them. checkov reads `Metadata.checkov.skip: [{id, comment}]` on
 * a CloudFormation resource (checkov/cloudformation/context_parser.py, collect_skip_comments) and
 * reports the check as skipped with the comment. Calling it again for the same check and reason is a
 * no-op (singleton providers are shared); a second, different reason for one check is an error.
 * test/checkov.test.ts checks that every skip silences a real finding and gives a reason.
 */
export function skipCheckov(construct: IConstruct, checks: readonly string[], reason: string): void {
  const resource = cfnResourceOf(construct);
  const where = resource.node.path;
  if (reason.trim().length < 40) {
    throw new Error(`skipCheckov: the reason for ${where} must say why (40 characters at least), got "${reason}"`);
  }
  const skips: CheckovSkip[] = [...((resource.getMetadata('checkov')?.skip ?? []) as CheckovSkip[])];
  for (const id of checks) {
    if (!CHECKOV_ID.test(id)) {
      throw new Error(
        `skipCheckov: "${id}" on ${where} is not a checkov AWS check id (expected CKV_AWS_<n> or CKV2_AWS_<n>)`,
      );
    }
    const earlier = skips.find((s) => s.id === id);
    if (earlier && earlier.comment !== reason) {
      throw new Error(
        `skipCheckov: ${id} on ${where} is already skipped with a different reason ("${earlier.comment}")`,
      );
    }
    if (!earlier) skips.push({ id, comment: reason });
  }
  resource.addMetadata('checkov', { ...resource.getMetadata('checkov'), skip: skips });
}

/** Reasons for checkov skips that apply alike to several resources of one kind. */
export const CHECKOV_REASONS = {
  /** CKV_AWS_158 on a log group. */
  logGroupServiceKey:
    'CloudWatch Logs encrypts every log group at rest with a service key; a customer-managed key would add a key policy to get right for logs.<region>.amazonaws.com (delivery stops if it is wrong) and $1 a month per key and region, for logs that hold no secret.',
  /** CKV_AWS_115, 116, 117 and 173 on a Lambda function that aws-cdk-lib writes for a custom resource. */
  cdkProviderFunction:
    'A custom-resource handler written by aws-cdk-lib that runs only while CloudFormation deploys: CloudFormation is its one caller and waits for its answer (a DLQ would hold events nobody replays), it calls only public AWS APIs (no VPC), it runs a few times per deploy and never otherwise (no concurrency to reserve), and its environment holds no secret.',
} as const;
