import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Rules read references the way the posture report does (one function for both). */
export { referencedLogicalId } from '../template-queries';

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
