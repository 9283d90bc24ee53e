import { GetRegionOptStatusCommand } from '@aws-sdk/client-account';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { checkAccount, checkRegionEnabled } from '../../../cli/preflight/account';
import { awsError, mockedClients } from './fixtures';

describe('checkAccount', () => {
  test('passes when the credentials are for the config account', async () => {
    const { clients } = mockedClients();
    expect(await checkAccount(clients.sts, '111111111111', 'config/default.json', 'dr-operator')).toEqual({
      check: 'account',
      subject: 'account 111111111111',
      status: 'pass',
      detail: 'the credentials are for account 111111111111',
    });
  });

  test('fails on another account, naming both and both fixes', async () => {
    const { clients, mocks } = mockedClients();
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222' });
    expect(await checkAccount(clients.sts, '111111111111', 'config/default.json', 'dr-operator')).toEqual({
      check: 'account',
      subject: 'account 111111111111',
      status: 'fail',
      detail: 'the credentials are for account 222222222222, but config/default.json says "account": "111111111111"',
      fix: 'run with --profile <a profile of account 111111111111>; or, if 111111111111 is wrong, set "account" in config/default.json to "222222222222"',
    });
  });

  test('expired credentials: log in again with the profile', async () => {
    const { clients, mocks } = mockedClients();
    mocks.sts
      .on(GetCallerIdentityCommand)
      .rejects(awsError('ExpiredToken', 'The security token included in the request is expired', 403));
    expect(await checkAccount(clients.sts, '111111111111', 'c.json', 'dr-operator')).toMatchObject({
      status: 'fail',
      detail:
        "cannot read the credentials' account (ExpiredToken: The security token included in the request is expired)",
      fix: "aws sso login --profile dr-operator (or refresh the profile's credentials), then run preflight again",
    });
  });

  test('no answer from AWS (network, or no credentials at all): says so instead of blaming the profile', async () => {
    const { clients, mocks } = mockedClients();
    mocks.sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com'), { name: 'Error' }));
    expect(await checkAccount(clients.sts, '111111111111', 'c.json', undefined)).toMatchObject({
      status: 'fail',
      fix: 'AWS STS could not be reached or no credentials were found: check the network (and any proxy) and the credentials, then run preflight again',
    });
  });
});

describe('checkRegionEnabled', () => {
  const run = async (status: string | Error, region = 'us-west-2') => {
    const { clients, mocks } = mockedClients();
    if (status instanceof Error) mocks.account.on(GetRegionOptStatusCommand).rejects(status);
    else mocks.account.on(GetRegionOptStatusCommand).resolves({ RegionName: region, RegionOptStatus: status as never });
    return checkRegionEnabled(clients.account, region, 'dr-operator');
  };

  test.each(['ENABLED', 'ENABLED_BY_DEFAULT'])('%s passes', async (status) => {
    expect(await run(status)).toEqual({
      check: 'region-enabled',
      subject: 'us-west-2',
      status: 'pass',
      detail: `opt-in status ${status}`,
    });
  });

  test.each(['DISABLED', 'DISABLING'])('%s fails, fixed by enabling the region', async (status) => {
    expect(await run(status, 'eu-south-1')).toEqual({
      check: 'region-enabled',
      subject: 'eu-south-1',
      status: 'fail',
      detail: `opt-in status ${status}: nothing can be deployed there`,
      fix: 'aws account enable-region --region us-east-1 --profile dr-operator --region-name eu-south-1',
    });
  });

  test('ENABLING fails: wait for it', async () => {
    expect(await run('ENABLING', 'eu-south-1')).toMatchObject({
      status: 'fail',
      detail: 'opt-in status ENABLING: the region is being enabled (minutes, sometimes hours)',
      fix: 'wait until this prints ENABLED: aws account get-region-opt-status --region us-east-1 --profile dr-operator --region-name eu-south-1',
    });
  });

  test('access denied on a region enabled by default passes with a note (it cannot be disabled)', async () => {
    expect(
      await run(awsError('AccessDeniedException', 'not authorized to perform account:GetRegionOptStatus', 403)),
    ).toEqual({
      check: 'region-enabled',
      subject: 'us-west-2',
      status: 'pass',
      detail: 'enabled by default (it predates opt-in regions)',
      note: 'could not confirm with GetRegionOptStatus (AccessDeniedException: not authorized to perform account:GetRegionOptStatus)',
    });
  });

  test('access denied on an opt-in region fails, with the permission and the command', async () => {
    expect(await run(awsError('AccessDeniedException', 'denied', 403), 'me-central-1')).toEqual({
      check: 'region-enabled',
      subject: 'me-central-1',
      status: 'fail',
      detail: "cannot read the region's opt-in status (AccessDeniedException: denied)",
      fix: 'grant account:GetRegionOptStatus to the profile, or check: aws account get-region-opt-status --region us-east-1 --profile dr-operator --region-name me-central-1',
    });
  });
});
