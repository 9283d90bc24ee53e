import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AIR_GAPPED_VAULT_NAME, ContinuousBackup } from '../../lib/data/continuous-backup';

function backup(airGappedVaultName: string | ((stack: Stack) => string)) {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ContinuousBackup(stack, 'Backup', {
    bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'site-bucket-test'),
    vaultName: 'site-vault',
    copyToRegion: 'eu-central-1',
    airGappedVaultName: typeof airGappedVaultName === 'function' ? airGappedVaultName(stack) : airGappedVaultName,
  });
  return stack;
}

describe('ContinuousBackup airGappedVaultName', () => {
  test.each(['', 'a', 'a'.repeat(51), 'site.vault', 'site vault', 'vault/1'])(
    'refuses %j, naming the construct and the value',
    (name) => {
      expect(() => backup(name)).toThrow(
        `ContinuousBackup S/Backup: airGappedVaultName must be 2 to 50 letters, digits, hyphens or underscores, got "${name}"`,
      );
    },
  );

  test.each(['ab', 'a'.repeat(50), 'Site_Vault-2'])(
    'accepts %j (AWS Backup pattern ^[a-zA-Z0-9\\-\\_]{2,50}$)',
    (name) => {
      expect(AIR_GAPPED_VAULT_NAME.test(name)).toBe(true);
      Template.fromStack(backup(name)).hasResourceProperties('AWS::Backup::LogicallyAirGappedBackupVault', {
        BackupVaultName: name,
      });
    },
  );

  test('a value known only at deploy time (a token) is not checked at synth', () => {
    expect(() => backup((stack) => new CfnParameter(stack, 'Name').valueAsString)).not.toThrow();
  });
});
