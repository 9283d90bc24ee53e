// Jest global teardown: stops the moto server started by moto-global-setup.js, by pid.
const fs = require('node:fs');

module.exports = async () => {
  const file = process.env.MOTO_PID_FILE;
  if (!file || !fs.existsSync(file)) return;
  const pid = Number(fs.readFileSync(file, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  fs.rmSync(file, { force: true });
};
