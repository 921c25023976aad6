#!/usr/bin/env node
// setup: what `npm start`, `npm test` and bin/recsysops need on a fresh clone, done once and then
// skipped: the npm dependencies (npm ci) and the compiled TypeScript (dist/). With --for-tests it
// also runs every scripts/test-deps/*.sh, each of which installs one real peer the tests use (a
// Kafka broker's jars, Prometheus…) when it is missing, and does nothing when it is there.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const say = (msg) => process.stderr.write(`setup: ${msg}\n`);

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function mtime(p) {
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

// 1. npm dependencies, when missing or older than the lock file.
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || mtime(join(root, 'package-lock.json')) > mtime(installed)) {
  say('installing npm dependencies (npm ci)…');
  try {
    execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    // npm 11 can write a lock file that its own `npm ci` then calls out of sync (optional
    // platform packages of other systems); `npm install` honours the same lock file.
    say('npm ci refused the lock file; installing with npm install instead…');
    execFileSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

// 2. Compile src/ into dist/ when a source is newer than the last build.
const stamp = join(root, 'dist', '.build-stamp');
if (mtime(stamp) < Math.max(newest(join(root, 'src')), mtime(join(root, 'tsconfig.json')), mtime(join(root, 'tsconfig.build.json')))) {
  say('compiling TypeScript…');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  writeFileSync(stamp, new Date().toISOString());
}

// 3. What the tests need beyond npm: one idempotent script per real peer.
if (process.argv.includes('--for-tests')) {
  const dir = join(root, 'scripts', 'test-deps');
  for (const script of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sh')).sort() : []) {
    say(`test dependency: ${script}`);
    execFileSync('bash', [join(dir, script)], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  }
}
