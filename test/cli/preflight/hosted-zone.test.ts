import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { checkHostedZone } from '../../../cli/preflight/hosted-zone';
import { awsError, config, mockedClients } from './fixtures';

const FIND =
  'aws route53 list-hosted-zones-by-name --region us-east-1 --profile dr-operator --dns-name example.com --query "HostedZones[?Name==\'example.com.\'].[Id,Config.PrivateZone]" --output text';

const run = async (answer: object | Error) => {
  const { clients, mocks } = mockedClients();
  if (answer instanceof Error) mocks.route53.on(GetHostedZoneCommand).rejects(answer);
  else mocks.route53.on(GetHostedZoneCommand).resolves(answer);
  return checkHostedZone(clients.route53, config(), 'config/default.json', 'dr-operator');
};
const zone = (name: string, privateZone = false) => ({
  HostedZone: {
    Id: '/hostedzone/Z0000000EXAMPLE0000',
    Name: name,
    CallerReference: 'x',
    Config: { PrivateZone: privateZone },
  },
});

test('a public zone of the configured name passes (Route 53 names end in a dot, any case)', async () => {
  expect(await run(zone('Example.com.'))).toEqual({
    check: 'hosted-zone',
    subject: 'hosted zone Z0000000EXAMPLE0000',
    status: 'pass',
    detail: 'public zone example.com',
  });
});

test('a missing zone fails, with the command that finds the right id', async () => {
  expect(await run(awsError('NoSuchHostedZone', 'No hosted zone found with ID: Z0000000EXAMPLE0000', 404))).toEqual({
    check: 'hosted-zone',
    subject: 'hosted zone Z0000000EXAMPLE0000',
    status: 'fail',
    detail:
      'no hosted zone Z0000000EXAMPLE0000 in this account (NoSuchHostedZone: No hosted zone found with ID: Z0000000EXAMPLE0000)',
    fix: `find the public zone's id with: ${FIND}; then set "hostedZone.id" in config/default.json`,
  });
});

test('a private zone fails', async () => {
  expect(await run(zone('example.com.', true))).toMatchObject({
    status: 'fail',
    detail: 'Z0000000EXAMPLE0000 is a private zone (example.com): its records are not served on the internet',
    fix: `use the public zone: ${FIND}; then set "hostedZone.id" in config/default.json`,
  });
});

test('a zone of another name fails, naming both', async () => {
  expect(await run(zone('example.org.'))).toMatchObject({
    status: 'fail',
    detail:
      'Z0000000EXAMPLE0000 is the zone example.org, but config/default.json says "hostedZone.name": "example.com"',
  });
});

test('access denied fails with the permissions to grant', async () => {
  expect(
    await run(awsError('AccessDenied', 'User is not authorized to perform: route53:GetHostedZone', 403)),
  ).toMatchObject({
    status: 'fail',
    detail: 'cannot read the hosted zone (AccessDenied: User is not authorized to perform: route53:GetHostedZone)',
    fix: 'grant route53:GetHostedZone and route53:ListResourceRecordSets to the profile',
  });
});
