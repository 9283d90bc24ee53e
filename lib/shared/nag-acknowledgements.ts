import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Helpers that acknowledge cdk-nag findings on one construct, each with a reason.
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
