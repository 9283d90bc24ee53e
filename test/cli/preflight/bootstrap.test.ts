import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkBootstrap, readRequiredBootstrap, requiredBootstrap } from '../../../cli/preflight/bootstrap';
import { awsError, mockedClients, REQUIRED } from './fixtures';

describe('requiredBootstrap', () => {
  // The shape of cdk.out/manifest.json (aws-cdk-lib's DefaultStackSynthesizer writes these properties).
  const manifest = {
    artifacts: {
      'app-data.assets': { type: 'cdk:asset-manifest', properties: { requiresBootstrapStackVersion: 6 } },
      'app-data': {
        type: 'aws:cloudformation:stack',
        environment: 'aws://111111111111/us-west-2',
        properties: {
          requiresBootstrapStackVersion: 6,
          // The lookup role may ask for more; the CLI then falls back to the caller's credentials.
          lookupRole: { arn: 'arn:aws:iam::111111111111:role/lookup', requiresBootstrapStackVersion: 8 },
        },
      },
      'app-global': {
        type: 'aws:cloudformation:stack',
        environment: 'aws://111111111111/us-east-1',
        properties: { requiresBootstrapStackVersion: 21 },
      },
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
    },
  };

  test('is the highest version any stack or asset manifest requires, not the lookup role', () => {
    expect(requiredBootstrap(manifest, 'cdk.out/manifest.json')).toEqual({
      version: 21,
      source: 'cdk.out/manifest.json (requiresBootstrapStackVersion of 3 artifacts)',
      accounts: ['111111111111'],
    });
  });

  test('a manifest without the property, or without artifacts, is explained', () => {
    expect(requiredBootstrap({ artifacts: { Tree: { type: 'cdk:tree' } } }, 'm.json')).toBe(
      'm.json names no required bootstrap version (requiresBootstrapStackVersion)',
    );
    expect(requiredBootstrap({}, 'm.json')).toBe('m.json lists no artifacts');
  });
});

describe('readRequiredBootstrap', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const assembly = (name: string, manifest: string) => {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'manifest.json'), manifest);
    return path.join(dir, name);
  };

  test('reads the manifest through the cloud-assembly schema', () => {
    const cdkOut = assembly(
      'ok',
      JSON.stringify({
        version: '55.0.0',
        artifacts: {
          stack: {
            type: 'aws:cloudformation:stack',
            environment: 'aws://111111111111/us-east-1',
            properties: { templateFile: 'stack.template.json', requiresBootstrapStackVersion: 6 },
          },
        },
      }),
    );
    expect(readRequiredBootstrap(cdkOut)).toEqual({
      version: 6,
      source: `${cdkOut}/manifest.json (requiresBootstrapStackVersion of 1 artifacts)`,
      accounts: ['111111111111'],
    });
  });

  test('a missing manifest, or one from an incompatible schema version, is explained', () => {
    expect(readRequiredBootstrap(path.join(dir, 'none'))).toBe(
      `${dir}/none/manifest.json does not exist: the app has not been synthesized`,
    );
    const newer = assembly('newer', JSON.stringify({ version: '99.0.0', artifacts: {} }));
    expect(readRequiredBootstrap(newer)).toBe(
      `${newer}/manifest.json is not a cloud assembly manifest this drctl can read (Cloud assembly schema version mismatch: Maximum schema version supported is 55.x.x, but found 99.0.0)`,
    );
  });
});

describe('checkBootstrap', () => {
  const stack = (status: string, version?: string) => ({
    Stacks: [
      {
        StackName: 'CDKToolkit',
        StackStatus: status as never,
        CreationTime: new Date(),
        Outputs: version === undefined ? [] : [{ OutputKey: 'BootstrapVersion', OutputValue: version }],
      },
    ],
  });
  const run = async (answer: object | Error, required: typeof REQUIRED | string = REQUIRED) => {
    const { clients, mocks } = mockedClients();
    const cfn = mocks.cfn['us-west-2'];
    if (answer instanceof Error) cfn.on(DescribeStacksCommand).rejects(answer);
    else cfn.on(DescribeStacksCommand).resolves(answer);
    return checkBootstrap(clients.cloudFormation('us-west-2'), '111111111111', 'us-west-2', required, 'dr-operator');
  };
  const BOOTSTRAP = 'npx cdk bootstrap --profile dr-operator aws://111111111111/us-west-2';

  test('a recent enough bootstrap passes', async () => {
    expect(await run(stack('UPDATE_COMPLETE', '30'))).toEqual({
      check: 'cdk-bootstrap',
      subject: 'us-west-2',
      status: 'pass',
      detail: 'bootstrap version 30 (the app needs 6 or later)',
    });
  });

  test('no CDKToolkit stack: not bootstrapped', async () => {
    expect(await run(awsError('ValidationError', 'Stack with id CDKToolkit does not exist'))).toEqual({
      check: 'cdk-bootstrap',
      subject: 'us-west-2',
      status: 'fail',
      detail: 'not bootstrapped: no CDKToolkit stack',
      fix: BOOTSTRAP,
    });
  });

  test('an older bootstrap than the app needs', async () => {
    expect(await run(stack('CREATE_COMPLETE', '5'))).toEqual({
      check: 'cdk-bootstrap',
      subject: 'us-west-2',
      status: 'fail',
      detail: 'bootstrap version 5, but the app needs at least 6 (cdk.out/manifest.json)',
      fix: BOOTSTRAP,
    });
  });

  test('a toolkit stack without the BootstrapVersion output (legacy bootstrap)', async () => {
    expect(await run(stack('CREATE_COMPLETE'))).toMatchObject({
      status: 'fail',
      detail: 'CDKToolkit has no BootstrapVersion output (got undefined): a legacy or foreign bootstrap',
      fix: BOOTSTRAP,
    });
  });

  test.each([
    ['ROLLBACK_COMPLETE', 'CDKToolkit is ROLLBACK_COMPLETE', BOOTSTRAP],
    [
      'UPDATE_IN_PROGRESS',
      'CDKToolkit is UPDATE_IN_PROGRESS: wait until it completes',
      'wait, then run preflight again',
    ],
  ])('a toolkit stack in %s is not usable', async (status, detail, fix) => {
    expect(await run(stack(status, '30'))).toMatchObject({ status: 'fail', detail, fix });
  });

  test('unknown requirement (no synthesized app): synthesize first', async () => {
    expect(
      await run(
        stack('UPDATE_COMPLETE', '30'),
        'cdk.out/manifest.json does not exist: the app has not been synthesized',
      ),
    ).toEqual({
      check: 'cdk-bootstrap',
      subject: 'us-west-2',
      status: 'fail',
      detail:
        'cannot tell which bootstrap version the app needs: cdk.out/manifest.json does not exist: the app has not been synthesized',
      fix: 'npx cdk synth --quiet (then run preflight again)',
    });
  });

  test('access denied fails with the permission to grant', async () => {
    expect(
      await run(awsError('AccessDenied', 'not authorized to perform: cloudformation:DescribeStacks', 403)),
    ).toMatchObject({
      status: 'fail',
      detail:
        'cannot read the CDKToolkit stack (AccessDenied: not authorized to perform: cloudformation:DescribeStacks)',
      fix: 'grant cloudformation:DescribeStacks on CDKToolkit to the profile',
    });
  });
});
