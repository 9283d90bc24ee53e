import { GetBasePathMappingsCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { REGION_ROLES, type RegionRole } from '../../contract/regions';
import { RELEASE_STAGE_VARIABLE } from '../../contract/site';
import { type ReadinessCheck, type ReadinessDeps, result } from './deps';

/** What of a region's API stage decides how the standby serves once traffic reaches it. */
interface HostingSettings {
  readonly restApiId: string;
  readonly stage: string;
  readonly release?: string;
  /** Per method (`*\/*`, `/healthz/GET`, ...): rate and burst throttles, as the stage's method settings hold them. */
  readonly throttling: Record<string, { rate?: number; burst?: number }>;
}

async function settingsOf(deps: ReadinessDeps, role: RegionRole): Promise<HostingSettings> {
  const host = deps.deployment.regionalHosts[role];
  const mappings = await deps.apigw[role].send(new GetBasePathMappingsCommand({ domainName: host }));
  const mapping = mappings.items?.[0];
  if (!mapping?.restApiId || !mapping.stage) {
    throw new Error(`no API is mapped to ${host} in ${deps.deployment.regions[role]}`);
  }
  const stage = await deps.apigw[role].send(
    new GetStageCommand({ restApiId: mapping.restApiId, stageName: mapping.stage }),
  );
  const throttling: HostingSettings['throttling'] = {};
  // (In the order API Gateway gives them; the comparison below goes through the methods sorted.)
  for (const [method, s] of Object.entries(stage.methodSettings ?? {})) {
    throttling[method] = { rate: s.throttlingRateLimit, burst: s.throttlingBurstLimit };
  }
  return {
    restApiId: mapping.restApiId,
    stage: mapping.stage,
    release: stage.variables?.[RELEASE_STAGE_VARIABLE],
    throttling,
  };
}

/**
 * `hosting-settings`: the two regions' API stages serve the same release (the stage variable that
 * selects it) with the same method throttling, so the standby behaves like the primary when
 * traffic moves to it. A stage edited by hand in one region, or a hosting stack deployed to one
 * region only, shows here.
 */
export const hostingSettings: ReadinessCheck = async (deps) => {
  const [primary, standby] = await Promise.all(REGION_ROLES.map((role) => settingsOf(deps, role)));
  const problems: string[] = [];
  if (primary.release === undefined || primary.release !== standby.release) {
    problems.push(
      `stage variable ${RELEASE_STAGE_VARIABLE}: "${primary.release ?? ''}" in ${deps.deployment.regions.primary}, "${standby.release ?? ''}" in ${deps.deployment.regions.standby}`,
    );
  }
  const methods = [...new Set([...Object.keys(primary.throttling), ...Object.keys(standby.throttling)])].sort();
  for (const method of methods) {
    const a = JSON.stringify(primary.throttling[method] ?? null);
    const b = JSON.stringify(standby.throttling[method] ?? null);
    if (a !== b) problems.push(`throttling of ${method}: ${a} in the primary, ${b} in the standby`);
  }
  const details = { primary, standby };
  return problems.length === 0
    ? result('hosting-settings', true, `both stages serve ${primary.release} with the same throttling`, details)
    : result('hosting-settings', false, problems.join('; '), details);
};
