import { paginateListRecoveryPointsByBackupVault, type RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { REGION_ROLES } from '../../contract/regions';
import { type ReadinessCheck, result } from './deps';

/** Recovery points a restore can use (the others are being created, deleted, partial, stopped or expired). */
const USABLE = new Set(['COMPLETED', 'AVAILABLE']);

/**
 * How recent a recovery point is: its completion, or its creation when it has none. A continuous
 * backup is one recovery point that AWS Backup updates each time the rule's job runs
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html).
 */
function recency(p: RecoveryPointByBackupVault): number {
  return Math.max(p.CompletionDate?.getTime() ?? 0, p.CreationDate?.getTime() ?? 0);
}

/**
 * `recovery-point`: each region's vault holds a usable recovery point no older than the RPO. The
 * API documents no order (and no sort parameter), so every page is read, keeping only the newest.
 */
export const recoveryPoint: ReadinessCheck = async (deps, now) => {
  const d = deps.deployment;
  const rpoSeconds = d.rpoMinutes * 60;
  const problems: string[] = [];
  const newest: Record<string, { arn?: string; at?: string; ageSeconds?: number }> = {};
  for (const role of REGION_ROLES) {
    let best: RecoveryPointByBackupVault | undefined;
    const pages = paginateListRecoveryPointsByBackupVault(
      { client: deps.backup[role] },
      { BackupVaultName: d.backupVaultName },
    );
    for await (const page of pages) {
      for (const p of page.RecoveryPoints ?? []) {
        if (USABLE.has(p.Status ?? '') && (best === undefined || recency(p) > recency(best))) best = p;
      }
    }
    if (best === undefined) {
      newest[role] = {};
      problems.push(`no usable recovery point in ${d.backupVaultName} (${d.regions[role]})`);
      continue;
    }
    const ageSeconds = Math.round((now.getTime() - recency(best)) / 1000);
    newest[role] = { arn: best.RecoveryPointArn, at: new Date(recency(best)).toISOString(), ageSeconds };
    if (ageSeconds > rpoSeconds) {
      problems.push(
        `the newest recovery point in ${d.regions[role]} is ${ageSeconds} s old, over the RPO of ${rpoSeconds} s`,
      );
    }
  }
  return problems.length === 0
    ? result('recovery-point', true, `both vaults hold a recovery point within the RPO of ${rpoSeconds} s`, {
        rpoSeconds,
        newest,
      })
    : result('recovery-point', false, problems.join('; '), { rpoSeconds, newest });
};
