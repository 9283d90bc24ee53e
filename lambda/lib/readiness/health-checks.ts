import { GetHealthCheckStatusCommand, type HealthCheck, paginateListHealthChecks } from '@aws-sdk/client-route-53';
import { REGION_ROLES } from '../../contract/regions';
import { type ReadinessCheck, result } from './deps';

/**
 * Route 53 judges an endpoint healthy when more than 18% of its health checkers report it healthy
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 */
export const HEALTHY_CHECKER_SHARE = 0.18;

/**
 * `health-checks`: the HTTPS health check of each region (the one whose target is the region's own
 * host name, as `drctl status` finds them) is healthy in Route 53's view. ListHealthChecks returns
 * at most 100 a page, in no order that puts this app's first: every page is read.
 */
export const healthChecks: ReadinessCheck = async (deps) => {
  const hosts = deps.deployment.regionalHosts;
  // Stryker disable next-line ArrayDeclaration: equivalent, an entry that is not a health check targets no host and is filtered out below
  const all: HealthCheck[] = [];
  for await (const page of paginateListHealthChecks({ client: deps.route53 }, {})) {
    // Stryker disable next-line ArrayDeclaration: equivalent, as above
    all.push(...(page.HealthChecks ?? []));
  }
  const problems: string[] = [];
  const regions: Record<string, { id: string; healthy: number; checkers: number }[]> = {};
  for (const role of REGION_ROLES) {
    const ours = all.filter((hc) => hc.HealthCheckConfig?.FullyQualifiedDomainName === hosts[role]);
    if (ours.length === 0) problems.push(`no health check targets ${hosts[role]} (${role})`);
    regions[role] = await Promise.all(
      ours.map(async (hc) => {
        const status = await deps.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: hc.Id }));
        const observations = status.HealthCheckObservations ?? [];
        const healthy = observations.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length;
        if (healthy <= observations.length * HEALTHY_CHECKER_SHARE) {
          problems.push(
            `${hosts[role]} (${role}) is unhealthy: ${healthy} of ${observations.length} checkers see it healthy`,
          );
        }
        return { id: hc.Id!, healthy, checkers: observations.length };
      }),
    );
  }
  return problems.length === 0
    ? result('health-checks', true, `both regions' health checks are healthy`, regions)
    : result('health-checks', false, problems.join('; '), regions);
};
