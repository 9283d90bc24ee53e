/** The two roles a region plays. The roles, not the region names, name the stacks. */
export type RegionRole = 'primary' | 'standby';

export const REGION_ROLES: readonly RegionRole[] = ['primary', 'standby'];

/** Route 53 health-check metrics are published only in us-east-1, so the global stack lives there. */
export const GLOBAL_REGION = 'us-east-1';

/**
 * SetIdentifier of the site name's failover record that points at a region: `<role>-<region>`.
 * The global stack writes it; drctl preflight recognizes this app's records by it.
 */
export function failoverSetIdentifier(role: RegionRole, region: string): string {
  return `${role}-${region}`;
}
