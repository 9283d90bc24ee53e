// Jest global setup: starts moto's S3 (and friends) server on 127.0.0.1 for the integration tests.
// The test command installs moto into .venv (scripts/setup-test-tools.sh); the server is stopped by
// pid in moto-global-teardown.js.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const MOTO = path.join(ROOT, '.venv', 'bin', 'moto_server');
const PID_FILE = path.join(os.tmpdir(), `portfolio-dr-moto-${process.pid}.pid`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitUntilUp(url, deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto server did not answer at ${url} within 30 s`);
}

module.exports = async () => {
  if (!fs.existsSync(MOTO)) {
    throw new Error(`${MOTO} is missing: run "bash scripts/setup-test-tools.sh" (npm test does it for you)`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(os.tmpdir(), `portfolio-dr-moto-${port}.log`), 'w');
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', log, log], detached: true });
  child.unref();
  fs.writeFileSync(PID_FILE, String(child.pid));
  process.env.MOTO_PID_FILE = PID_FILE;
  process.env.MOTO_ENDPOINT = url;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  await waitUntilUp(url, Date.now() + 30000);
};
