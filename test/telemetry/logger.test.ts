import { createLogger } from '../../src/telemetry/logger';
import { secretValues } from '../../src/daemon';

describe('logger', () => {
  test('masks values of secret-looking keys, and registered secret values anywhere, in children too', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), secrets: ['hunter2-initial'] });
    const child = log.child({ notifier: 'email' });
    log.addSecrets(['s3cr3t-from-env']);
    child.error('smtp said: 535 auth failed for s3cr3t-from-env', { password: 'p', token: 'abc', nested: { api_key: 'k' }, host: 'smtp' });
    log.info('initial hunter2-initial');
    expect(lines.join('\n')).not.toMatch(/s3cr3t-from-env|hunter2-initial|password=p|token=abc|"k"/);
    expect(lines[0]).toMatch(/host=smtp/);
    expect(lines[0]).toMatch(/notifier=email/);
  });

  test('JSON format writes one object per line', () => {
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l), format: 'json' }).warn('x', { n: 1 });
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', msg: 'x', n: 1 });
  });

  test('secretValues finds the environment variables a config names by *_env, at any depth', () => {
    const env = { SMTP_PW: 'pw-value', CHAT: 'tok-value', OTHER: 'x' };
    expect(secretValues([{ kind: 'email', password_env: 'SMTP_PW' }, { sasl: { password_env: 'CHAT' } }, { url: 'OTHER' }], env)).toEqual(['pw-value', 'tok-value']);
  });
});
