import { DeploymentError, deploymentFromEnv, parseDeployment } from '../../../lambda/contract/deployment';
import { InputError } from '../../../lambda/contract/errors';
import { deployment } from '../../support/deployment';

describe('deployment record', () => {
  test('the record derived from the default config passes the schema unchanged', () => {
    expect(parseDeployment(JSON.parse(JSON.stringify(deployment)), 'test')).toEqual(deployment);
  });

  test('DR_DEPLOYMENT is read and validated', () => {
    expect(deploymentFromEnv({ DR_DEPLOYMENT: JSON.stringify(deployment) })).toEqual(deployment);
  });

  test('a malformed record names every bad field and its value', () => {
    const bad = {
      ...deployment,
      regions: { primary: 'us-east-1' },
      trafficSwitch: { ...deployment.trafficSwitch, periodSeconds: '60' },
      healthCheck: { ...deployment.healthCheck, path: 'healthz' },
      rpoMinutes: 0,
    };
    expect(() => deploymentFromEnv({ DR_DEPLOYMENT: JSON.stringify(bad) })).toThrow(
      new DeploymentError(
        [
          'Invalid deployment record in DR_DEPLOYMENT:',
          '  - regions.standby: missing, expected a string',
          '  - trafficSwitch.periodSeconds: got "60", expected a number',
          '  - healthCheck.path: got "healthz", expected a path starting with /',
          '  - rpoMinutes: got 0, expected a number above 0',
        ].join('\n'),
      ),
    );
  });

  test('a record that is not JSON is refused with the parser error', () => {
    expect(() => deploymentFromEnv({ DR_DEPLOYMENT: '{"appName":' })).toThrow(/^DR_DEPLOYMENT is not valid JSON: /);
  });

  test('a bad record is an input error: drctl maps it with every other layer', () => {
    expect(() => parseDeployment({}, 'x')).toThrow(InputError);
  });
});
