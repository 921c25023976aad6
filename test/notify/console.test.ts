import { consoleConfigSchema, consoleNotifier, formatConsoleLine } from '../../src/notify/integrations/console';
import { alert, captureLogger } from './helpers';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    isTTY,
    write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean {
      chunks.push(String(chunk));
      cb?.();
      return true;
    },
  };
}

const deps = (env: Record<string, string> = {}) => ({ logger: captureLogger().logger, env, stateDir: '/tmp' });

describe('console notifier', () => {
  test('prints one plain line per alert when the stream is not a terminal', async () => {
    const stream = fakeStream(false);
    const n = consoleNotifier({ stream: stream as never }).create('console', consoleConfigSchema.parse({}), deps());
    await n.send([alert(), alert({ status: 'resolved', value: 950.5, issue_id: 'b1c2d3e4', labels: { surface: 'home', model_version: 'v42' } })]);
    expect(stream.chunks.join('')).toBe(
      '🔥 FIRING critical volume-impressions{surface=home} value=120 expected 800–1300 · issue 7f3a9c21 · recsysops diagnose 7f3a9c21\n' +
        '✅ RESOLVED critical volume-impressions{model_version=v42,surface=home} value=950.5 expected 800–1300 · issue b1c2d3e4 · recsysops diagnose b1c2d3e4\n',
    );
  });

  test('colours only a terminal, and honours NO_COLOR', async () => {
    const tty = fakeStream(true);
    await consoleNotifier({ stream: tty as never }).create('c', consoleConfigSchema.parse({}), deps()).send([alert()]);
    expect(tty.chunks.join('')).toContain('\x1b[1;31mFIRING\x1b[0m');

    const noColor = fakeStream(true);
    await consoleNotifier({ stream: noColor as never }).create('c', consoleConfigSchema.parse({}), deps({ NO_COLOR: '1' })).send([alert()]);
    expect(noColor.chunks.join('')).not.toContain('\x1b[');

    const forced = fakeStream(false);
    await consoleNotifier({ stream: forced as never }).create('c', consoleConfigSchema.parse({ color: 'always' }), deps()).send([alert()]);
    expect(forced.chunks.join('')).toContain('\x1b[');
  });

  test('unbounded bands and missing bands are readable', () => {
    expect(formatConsoleLine(alert({ expected: null, labels: {} }), false)).toContain('volume-impressions value=120 expected —');
    expect(formatConsoleLine(alert({ expected: { lower: null, upper: 0.25 }, value: 0.3333333 }), false)).toContain('value=0.3333 expected ≤ 0.25');
  });
});
