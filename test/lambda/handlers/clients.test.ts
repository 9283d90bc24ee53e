import { clients, resetClients } from '../../../lambda/handlers/clients';
import { deploymentOf } from '../../../lib/shared/deployment';
import { defaultConfig } from '../../support/config';

// The handlers sign every request; DR_ENDPOINT_URL (only ever set to run them against an emulator)
// must not send those signatures over plain HTTP to another machine.
describe('clients(): DR_ENDPOINT_URL', () => {
  const env = (endpoint?: string): NodeJS.ProcessEnv => ({
    DR_DEPLOYMENT: JSON.stringify(deploymentOf(defaultConfig())),
    ...(endpoint === undefined ? {} : { DR_ENDPOINT_URL: endpoint }),
  });
  beforeEach(() => resetClients());
  afterAll(() => resetClients());

  test.each(['http://127.0.0.1:5000', 'http://localhost:4566', 'https://s3.example.test', undefined])(
    'accepts %s',
    (endpoint) => {
      expect(clients(env(endpoint)).deployment.regions.primary).toBe('us-east-1');
    },
  );

  test('refuses plain http to another host, naming the variable and the value', () => {
    expect(() => clients(env('http://10.0.0.5:5000'))).toThrow(
      'DR_ENDPOINT_URL: got "http://10.0.0.5:5000", expected an https:// URL, or http:// to a loopback address (127.0.0.0/8, [::1] or localhost): every request carries your access key id, session token and a signature',
    );
  });
});
