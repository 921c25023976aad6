import { inspect } from 'node:util';
import { NotifyError, type NotifyFailureReason } from '../../src/errors';
import type { Logger } from '../../src/telemetry/logger';
import type { Notifier } from '../../src/notify/notifier';
import { alert, captureLogger, freePort, silentServer } from './helpers';

/** How the receiver answers: accept, fail transiently, reject for good, or reject the credentials. */
export type Behaviour = 'accept' | 'transient' | 'permanent' | 'auth';

export interface ConformanceTarget {
  notifier: Notifier;
  /** messages the receiver accepted so far */
  delivered(): number;
  close(): Promise<void>;
}

/**
 * ConformanceHarness adapts one notifier kind to the shared suite (like alertmanager's
 * notify/test): it starts a real receiver behaving as asked and a notifier configured with
 * `secret` pointed at it. Receivers echo the secret back in their error replies, so the suite
 * also proves the notifier masks what a server repeats.
 */
export interface ConformanceHarness {
  kind: string;
  secret: string;
  /** reason a rejected credential maps to (SMTP: auth; HTTP 401: client_error) */
  authReason: NotifyFailureReason;
  start(behaviour: Behaviour, logger: Logger): Promise<ConformanceTarget>;
  /** a notifier pointed at 127.0.0.1:port, giving up after timeoutMs */
  at(port: number, logger: Logger, timeoutMs: number): Notifier;
}

function expectNoSecret(text: string, secret: string): void {
  expect(text).not.toContain(secret);
  expect(text).not.toContain(Buffer.from(secret).toString('base64'));
}

async function failure(notifier: Notifier): Promise<NotifyError> {
  const err = await notifier.send([alert()]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NotifyError);
  return err as NotifyError;
}

/** runConformance registers the suite every notifier that talks to a remote receiver must pass. */
export function runConformance(h: ConformanceHarness): void {
  describe(`${h.kind} notifier conformance`, () => {
    const cases: Array<[Exclude<Behaviour, 'accept'>, () => NotifyFailureReason, boolean]> = [
      ['transient', () => 'server_error', true],
      ['permanent', () => 'client_error', false],
      ['auth', () => h.authReason, false],
    ];

    test('delivers a batch as one message', async () => {
      const { logger, lines } = captureLogger();
      const t = await h.start('accept', logger);
      try {
        await t.notifier.send([alert(), alert({ check: 'engagement-rate', fingerprint: 'fp-2' })]);
        expect(t.delivered()).toBe(1);
        expect(t.notifier.kind).toBe(h.kind);
        for (const l of lines) expectNoSecret(l, h.secret);
      } finally {
        await t.notifier.close?.();
        await t.close();
      }
    });

    test.each(cases)('a %s failure has the right reason and retriable flag, and no secret', async (behaviour, reason, retriable) => {
      const { logger, lines } = captureLogger();
      const t = await h.start(behaviour, logger);
      try {
        const err = await failure(t.notifier);
        expect(err.reason).toBe(reason());
        expect(err.retriable).toBe(retriable);
        expect(err.notifier).toBe(t.notifier.name);
        expect(err.code).toBe('RSO_ERR_NOTIFY_FAILED');
        expect(t.delivered()).toBe(0);
        for (const text of [err.message, String(err), inspect(err, { depth: 10 }), JSON.stringify(err), ...lines]) {
          expectNoSecret(text, h.secret);
        }
      } finally {
        await t.notifier.close?.();
        await t.close();
      }
    });

    test('an unreachable receiver is a retriable connection failure', async () => {
      const { logger } = captureLogger();
      const notifier = h.at(await freePort(), logger, 2000);
      const err = await failure(notifier);
      expect(err.reason).toBe('connection');
      expect(err.retriable).toBe(true);
      expectNoSecret(inspect(err, { depth: 10 }), h.secret);
      await notifier.close?.();
    });

    test('a receiver that never answers is a retriable timeout', async () => {
      const { logger } = captureLogger();
      const silent = await silentServer();
      const notifier = h.at(silent.port, logger, 200);
      try {
        const err = await failure(notifier);
        expect(err.reason).toBe('timeout');
        expect(err.retriable).toBe(true);
      } finally {
        await notifier.close?.();
        await silent.close();
      }
    });
  });
}
