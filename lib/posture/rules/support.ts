import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Rules read references the way the posture report does (one function for both). */
import { referencedLogicalId } from '../template-queries';
export { referencedLogicalId };

/** Every CloudFormation resource of the whole app that `node` belongs to. */
export function allResources(node: IConstruct): CfnResource[] {
  return node.node.root.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
}

/** A resolved value in plain JSON (tokens become intrinsics). */
export function resolved<T = any>(node: CfnResource, value: unknown): T {
  return Stack.of(node).resolve(value) as T;
}

/** The logical id of a resource within its stack. */
export function logicalId(node: CfnResource): string {
  return Stack.of(node).resolve(node.logicalId) as string;
}

/**
 * The region part of an ARN, when it can be read at synth: a literal ARN, or an `Fn::Join` whose
 * region part is a literal. Undefined when the region is a token.
 */
export function arnRegion(arn: unknown): string | undefined {
  const region = literalText(arn)?.split(':')[3];
  return region && !region.includes(UNKNOWN) ? region : undefined;
}

/** The resource part of an ARN (after the fifth colon) when it is literal, e.g. a bucket name. */
export function arnResource(arn: unknown): string | undefined {
  const resource = literalText(arn)?.split(':').slice(5).join(':');
  return resource && !resource.includes(UNKNOWN) ? resource : undefined;
}

/** The service and account parts of an ARN when they are literal. */
export function arnServiceAndAccount(arn: unknown): { service: string; account: string } | undefined {
  const parts = literalText(arn)?.split(':');
  if (parts === undefined || parts.length < 6) return undefined;
  const [, , service, , account] = parts;
  return service.includes(UNKNOWN) || account.includes(UNKNOWN) ? undefined : { service, account };
}

/**
 * Whether `arn`, a value of a resource in `from`'s stack, names `topic`: a Ref to it in the same
 * stack, or an SNS ARN whose region, account and name are the topic's (how stacks reach the paging
 * topics of another stack by their deterministic names, docs/adr/0009-paging-by-urgency.md).
 */
export function namesTopic(arn: unknown, from: CfnResource, topic: CfnResource & { topicName?: string }): boolean {
  const topicStack = Stack.of(topic);
  if (Stack.of(from) === topicStack) {
    if (referencedLogicalId(arn) === logicalId(topic)) return true;
  }
  const name = resolved(topic, topic.topicName);
  if (typeof name !== 'string') return false;
  const sa = arnServiceAndAccount(arn);
  return (
    sa?.service === 'sns' &&
    sa.account === resolved(topic, topicStack.account) &&
    arnRegion(arn) === resolved(topic, topicStack.region) &&
    arnResource(arn) === name
  );
}

const UNKNOWN = '\u0000';

/** A string or an `Fn::Join` of strings as text, with every non-literal part replaced by UNKNOWN. */
function literalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && Array.isArray((value as any)['Fn::Join'])) {
    const [delimiter, parts] = (value as any)['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => (typeof p === 'string' ? p : UNKNOWN)).join(delimiter);
  }
  return undefined;
}
