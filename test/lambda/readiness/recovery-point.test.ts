import { ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { recoveryPoint } from '../../../lambda/lib/readiness/recovery-point';
import { NOW, readyWorld } from './fixtures';

const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

describe('recovery-point', () => {
  test('both vaults hold one within the RPO: ok, the newest reported', async () => {
    const world = readyWorld();
    expect(await recoveryPoint(world.deps, NOW)).toEqual({
      check: 'recovery-point',
      ok: true,
      summary: 'both vaults hold a recovery point within the RPO of 1800 s',
      details: {
        rpoSeconds: 1800,
        newest: {
          primary: { arn: 'arn:rp:primary:new', at: '2026-11-30T05:50:00.000Z', ageSeconds: 600 },
          standby: { arn: 'arn:rp:standby:new', at: '2026-11-30T05:50:00.000Z', ageSeconds: 600 },
        },
      },
    });
    expect(world.mocks.backup.primary.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0].input).toEqual({
      BackupVaultName: 'portfolio-site-vault',
    });
  });

  test('reads every page; a completion date counts over the creation date; unusable points are ignored', async () => {
    const world = readyWorld();
    world.mocks.backup.primary
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolves({
        RecoveryPoints: [
          { RecoveryPointArn: 'partial', Status: 'PARTIAL', CreationDate: ago(10) },
          { RecoveryPointArn: 'old', Status: 'COMPLETED', CreationDate: ago(7200) },
        ],
        NextToken: 'n',
      })
      .on(ListRecoveryPointsByBackupVaultCommand, { NextToken: 'n' })
      .resolves({
        RecoveryPoints: [
          {
            RecoveryPointArn: 'continuous',
            Status: 'AVAILABLE',
            CreationDate: ago(86400 * 20),
            CompletionDate: ago(60),
          },
          { RecoveryPointArn: 'creating', Status: 'CREATING', CreationDate: ago(5) },
          { RecoveryPointArn: 'no-status', CreationDate: ago(5) },
          { RecoveryPointArn: 'older', Status: 'COMPLETED', CreationDate: ago(120) },
        ],
      });
    const r = await recoveryPoint(world.deps, NOW);
    expect(r.ok).toBe(true);
    expect((r.details.newest as Record<string, unknown>).primary).toEqual({
      arn: 'continuous',
      at: '2026-11-30T05:59:00.000Z',
      ageSeconds: 60,
    });
  });

  test.each([
    [1800, true],
    [1801, false],
  ])('newest %i s old: ok is %s', async (age, ok) => {
    const world = readyWorld();
    world.mocks.backup.standby
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolves({ RecoveryPoints: [{ RecoveryPointArn: 'rp', Status: 'COMPLETED', CreationDate: ago(age) }] });
    const r = await recoveryPoint(world.deps, NOW);
    expect(r.ok).toBe(ok);
    if (!ok) expect(r.summary).toBe('the newest recovery point in us-west-2 is 1801 s old, over the RPO of 1800 s');
  });

  test('of two equally recent points, the first listed is reported', async () => {
    const world = readyWorld();
    world.mocks.backup.primary.on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [
        { RecoveryPointArn: 'first', Status: 'COMPLETED', CreationDate: ago(60) },
        { RecoveryPointArn: 'second', Status: 'AVAILABLE', CreationDate: ago(60) },
      ],
    });
    const r = await recoveryPoint(world.deps, NOW);
    expect((r.details.newest as Record<string, { arn: string }>).primary.arn).toBe('first');
  });

  test('an empty vault, or one with only unusable points, fails', async () => {
    const world = readyWorld();
    world.mocks.backup.primary.on(ListRecoveryPointsByBackupVaultCommand).resolves({});
    world.mocks.backup.standby
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolves({ RecoveryPoints: [{ Status: 'EXPIRED', CreationDate: ago(1) }] });
    const r = await recoveryPoint(world.deps, NOW);
    expect(r).toEqual({
      check: 'recovery-point',
      ok: false,
      summary:
        'no usable recovery point in portfolio-site-vault (us-east-1); no usable recovery point in portfolio-site-vault (us-west-2)',
      details: { rpoSeconds: 1800, newest: { primary: {}, standby: {} } },
    });
  });

  test('a point without dates counts as the epoch', async () => {
    const world = readyWorld();
    world.mocks.backup.primary
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolves({ RecoveryPoints: [{ RecoveryPointArn: 'undated', Status: 'COMPLETED' }] });
    const r = await recoveryPoint(world.deps, NOW);
    expect((r.details.newest as Record<string, { at: string }>).primary.at).toBe('1970-01-01T00:00:00.000Z');
    expect(r.ok).toBe(false);
  });
});
