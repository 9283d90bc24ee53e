import type { StackView } from './assembly';
import { SITE_CONTENT_METADATA } from './site-content';

/**
 * Queries over synthesized templates (plain JSON, no aws-cdk-lib), shared by the objectives, the
 * posture report, the docs check's facts and the DR rule helpers, so that each reads a template
 * the same way.
 */

/** A resource with the stack it lives in and its logical id. */
export interface LocatedResource {
  readonly stack: StackView;
  readonly id: string;
  readonly resource: any;
}

/** Resources of one type in a stack, as [logicalId, resource] pairs. */
export function resourcesOfType(stack: StackView, type: string): [string, any][] {
  return Object.entries(stack.template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

/** Resources of one type across stacks, each with its stack and logical id. */
export function resourcesAcross(stacks: readonly StackView[], type: string): LocatedResource[] {
  return stacks.flatMap((stack) => resourcesOfType(stack, type).map(([id, resource]) => ({ stack, id, resource })));
}

/** The resource `Ref` or `Fn::GetAtt` points at, by logical id, or undefined for literals. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string') return o.Ref;
    if (Array.isArray(o['Fn::GetAtt'])) return String(o['Fn::GetAtt'][0]);
  }
  return undefined;
}

/** The resource of `stack` that `value` references (`Ref` or `Fn::GetAtt`), if any. */
export function referencedResource(stack: StackView, value: unknown): any {
  const id = referencedLogicalId(value);
  return id === undefined ? undefined : stack.template.Resources?.[id];
}

/** Whether a bucket resource is marked as holding the site's content (not a replica or log bucket). */
export function isSiteContentBucket(bucket: any): boolean {
  return bucket?.Metadata?.[SITE_CONTENT_METADATA]?.content === 'site';
}

/** Route 53 failover records of one role (PRIMARY or SECONDARY) across stacks. */
export function failoverRecords(stacks: readonly StackView[], failover: 'PRIMARY' | 'SECONDARY'): LocatedResource[] {
  return resourcesAcross(stacks, 'AWS::Route53::RecordSet').filter((r) => r.resource.Properties?.Failover === failover);
}

/** How many resources of each type a stack holds, types in alphabetical order. */
export function countByType(stack: StackView): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of Object.values(stack.template.Resources ?? {})) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
