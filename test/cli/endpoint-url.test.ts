import { endpointUrlProblem } from '../../cli/endpoint-url';
import { drctl } from '../support/drctl';

const EXPECTED =
  'expected an https:// URL, or http:// to a loopback address (127.0.0.0/8, [::1] or localhost): every request carries your access key id, session token and a signature';

test.each([
  'https://s3.eu-west-1.amazonaws.com',
  'https://minio.internal.acme.io:9000',
  'http://127.0.0.1:5000',
  'http://127.255.255.254:5000',
  'http://localhost:5000',
  'http://LOCALHOST:5000',
  'http://[::1]:5000',
  'http://[0:0:0:0:0:0:0:1]:5000',
  'http://2130706433:5000', // 127.0.0.1 as one number: the URL parser normalizes it
  'http://[::ffff:127.0.0.1]:5000', // IPv4-mapped 127.0.0.1: still this machine
])('accepts %s', (url) => {
  expect(endpointUrlProblem(url)).toBeUndefined();
});

test.each([
  ['http://10.0.0.5:5000', EXPECTED],
  ['http://s3.amazonaws.com', EXPECTED],
  ['http://128.0.0.1:5000', EXPECTED],
  ['http://127.0.0.1.nip.io:5000', EXPECTED],
  ['http://localhost.evil.example:5000', EXPECTED],
  ['ftp://127.0.0.1:5000', EXPECTED],
  ['127.0.0.1:5000', `not a URL; ${EXPECTED}`],
  ['localhost', `not a URL; ${EXPECTED}`],
])('refuses %s', (url, problem) => {
  expect(endpointUrlProblem(url)).toBe(problem);
});

test.each([
  ['restore', ['--bucket', 'b', '--to', '2026-11-28T10:00:00Z', '--region', 'us-east-1']],
  ['status', ['--config', 'config/default.json']],
])(
  'drctl %s refuses a plain-HTTP endpoint off this machine: exit 2, naming the flag and the value',
  async (command, args) => {
    const r = await drctl(command, ...args, '--endpoint-url', 'http://10.0.0.5:5000');
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 2,
      stderr: `error: option '--endpoint-url <url>' argument 'http://10.0.0.5:5000' is invalid. ${EXPECTED}\n`,
    });
  },
);
