import { verifyReplication } from '../replication/verify';
import { siteBucket } from '../site-buckets';
import { type ReadinessCheck, result } from './deps';

/**
 * `replication-drift`: the standby's site bucket holds what the primary's holds. The two listings
 * are streamed in key order (verify-replication without apply: nothing is copied), so memory stays
 * flat whatever the bucket size. Any missing, differing or extra object fails: the standby would
 * serve other content than the primary, and failback would refuse. Objects written moments ago
 * may still be in flight (Replication Time Control: 99.99% within 15 minutes), so the alarm on this
 * check fires only when two runs in a row fail; the summary says how old the oldest unreplicated
 * write is against the RPO.
 */
export const replicationDrift: ReadinessCheck = async (deps) => {
  const d = deps.deployment;
  const [source, replica] = await Promise.all([siteBucket(d, deps, 'primary'), siteBucket(d, deps, 'standby')]);
  const diff = await verifyReplication(
    { source, replica, apply: false },
    { sourceS3: deps.s3.primary, replicaS3: deps.s3.standby, now: deps.now, sampleSize: 10 },
  );
  const c = diff.counts;
  const rpoSeconds = d.rpoMinutes * 60;
  const details = {
    source,
    replica,
    counts: c,
    rpoSeconds,
    oldestUnreplicated: diff.oldestUnreplicated,
    missing: diff.missing.map((o) => o.key),
    differing: diff.differing.map((o) => o.key),
    extra: diff.extra.map((o) => o.key),
  };
  if (c.missing + c.differing + c.extra === 0) {
    return result(
      'replication-drift',
      true,
      `${c.compared} objects compared: the standby holds the primary's content`,
      details,
    );
  }
  const age = diff.oldestUnreplicated;
  const lag =
    age === undefined
      ? ''
      : `; oldest unreplicated write ${age.key} is ${age.ageSeconds} s old (RPO ${rpoSeconds} s${age.ageSeconds > rpoSeconds ? ', EXCEEDED' : ''})`;
  return result('replication-drift', false, `${s3Drift(c)} in the standby bucket ${replica}${lag}`, details);
};

/** "2 missing, 1 differing, 1 extra" */
export function s3Drift(c: { missing: number; differing: number; extra: number }): string {
  return `${c.missing} missing, ${c.differing} differing, ${c.extra} extra`;
}
