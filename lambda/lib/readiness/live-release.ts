import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { releasePrefix } from '../../contract/site';
import { verifyReplication } from '../replication/verify';
import { siteBucket } from '../site-buckets';
import { type ReadinessCheck, result } from './deps';
import { s3Drift } from './replication-drift';

/**
 * `live-release`: both regions name the same live release (the SSM parameter of each region) and
 * hold it identically: the same keys with the same ETags and sizes under `releases/<id>/` in both
 * site buckets (the two listings streamed in key order). Releases are immutable once published, so
 * any difference is a write, a delete or a failed replication under the release visitors get.
 */
export const liveRelease: ReadinessCheck = async (deps) => {
  const d = deps.deployment;
  const name = d.parameters.liveRelease;
  const read = async (role: 'primary' | 'standby') =>
    // Stryker disable next-line OptionalChaining: equivalent against SSM, whose GetParameter answer always has a Parameter (or throws ParameterNotFound)
    (await deps.ssm[role].send(new GetParameterCommand({ Name: name }))).Parameter?.Value ?? '';
  const [primary, standby] = await Promise.all([read('primary'), read('standby')]);
  const releases = { primary, standby };
  if (primary === '' || primary !== standby) {
    return result(
      'live-release',
      false,
      `the live release parameter ${name} differs: "${primary}" in ${d.regions.primary}, "${standby}" in ${d.regions.standby}`,
      { parameter: name, releases },
    );
  }
  const [source, replica] = await Promise.all([siteBucket(d, deps, 'primary'), siteBucket(d, deps, 'standby')]);
  const prefix = releasePrefix(primary);
  const diff = await verifyReplication(
    { source, replica, prefix, apply: false },
    { sourceS3: deps.s3.primary, replicaS3: deps.s3.standby, now: deps.now, sampleSize: 10 },
  );
  const c = diff.counts;
  const details = {
    parameter: name,
    releases,
    prefix,
    counts: c,
    missing: diff.missing.map((o) => o.key),
    differing: diff.differing.map((o) => o.key),
    extra: diff.extra.map((o) => o.key),
  };
  if (c.compared === 0) {
    return result(
      'live-release',
      false,
      `the live release ${primary} has no objects under ${prefix} in either bucket`,
      details,
    );
  }
  if (c.missing + c.differing + c.extra > 0) {
    return result(
      'live-release',
      false,
      `the live release ${primary} differs between the regions under ${prefix}: ${s3Drift(c)} in the standby bucket ${replica}`,
      details,
    );
  }
  return result(
    'live-release',
    true,
    `both regions hold the live release ${primary} identically (${c.compared} objects)`,
    details,
  );
};
