import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotifyError } from '../../src/errors';
import { fileConfigSchema, fileNotifier } from '../../src/notify/integrations/file';
import { alert, captureLogger } from './helpers';

describe('file notifier', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rso-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const deps = () => ({ logger: captureLogger().logger, env: {}, stateDir: dir });

  test('writes exactly one JSON record per line, appending, to alerts.ndjson in the state directory by default', async () => {
    const n = fileNotifier.create('log', fileConfigSchema.parse({}), deps());
    const records = [alert(), alert({ status: 'resolved', endsAt: '2024-05-01T11:00:00.000Z', expected: null, labels: {} })];
    await n.send(records.slice(0, 1));
    await n.send(records.slice(1));
    const text = readFileSync(path.join(dir, 'alerts.ndjson'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((l, i) => expect(JSON.parse(l)).toStrictEqual(records[i]));
    expect(lines[0]).toBe(JSON.stringify(records[0]));
  });

  test('resolves a relative path against the state directory and creates parent directories', async () => {
    const n = fileNotifier.create('log', fileConfigSchema.parse({ path: 'out/deep/alerts.jsonl' }), deps());
    await n.send([alert()]);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/deep/alerts.jsonl'), 'utf8'))).toEqual(alert());
  });

  test('an absolute path is used as is', async () => {
    const abs = path.join(dir, 'elsewhere', 'a.ndjson');
    await fileNotifier.create('log', fileConfigSchema.parse({ path: abs }), { ...deps(), stateDir: '/nonexistent' }).send([alert()]);
    expect(readFileSync(abs, 'utf8')).toBe(`${JSON.stringify(alert())}\n`);
  });

  test('a path that is a directory is a non-retriable failure', async () => {
    const n = fileNotifier.create('log', fileConfigSchema.parse({ path: '.' }), deps());
    const err = (await n.send([alert()]).catch((e: unknown) => e)) as NotifyError;
    expect(err).toBeInstanceOf(NotifyError);
    expect(err.retriable).toBe(false);
    expect(err.reason).toBe('client_error');
  });

  test('config rejects unknown keys', () => {
    expect(fileConfigSchema.safeParse({ file: 'x' }).success).toBe(false);
  });
});
