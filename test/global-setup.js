// Compiles src/ into dist/ (and installs what is missing) before any test, so tests that run the
// real `recsysops` command line exercise the current code even when jest is started directly.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'setup.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
};
