import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

/**
 * The shipped checks must not cry wolf: a full demo day with its daily rhythm and no injected
 * fault raises no alert at all.
 */
test('a normal demo day with its daily rhythm raises no alert', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rso-quiet-'));
  const events = join(dir, 'clean.ndjson');
  const rec = await runCli(['demo', 'record', '--duration', '30h', '--faults', 'none', '--seed', '7', '-o', events]);
  expect(rec.code).toBe(0);
  const r = await runCli(['replay', '--json', '--state', join(dir, 'state'), events]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/replayed \d{6,} events/);
  expect(r.stdout).toBe('');
}, 120_000);
