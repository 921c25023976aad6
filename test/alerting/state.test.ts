import { step, type AlertInstance, type AlertRule, type Transition } from '../../src/alerting/state';

/**
 * A small series DSL in the spirit of promqltest: one character per evaluation, one minute apart.
 * `x` breaches, `.` does not. run() returns the transition at each step ('' when none) and the phase.
 */
function run(series: string, rule: Partial<AlertRule> = {}): { transitions: string[]; phases: string[] } {
  const r: AlertRule = { for: 1, keepFiringForMs: 0, repeatIntervalMs: 3_600_000, ...rule };
  let a: AlertInstance | undefined;
  const transitions: string[] = [];
  const phases: string[] = [];
  [...series].forEach((c, i) => {
    const out = step(a, { breach: c === 'x', value: c === 'x' ? 0 : 100, expected: { lower: 50, upper: 150 } }, i * 60_000, r, {
      fingerprint: 'f',
      check: 'volume',
      labels: { surface: 'home' },
    });
    a = out.next?.phase === 'resolved' ? undefined : out.next;
    transitions.push(out.transition ?? '');
    phases.push(out.next?.phase ?? '-');
  });
  return { transitions, phases };
}

const at = (t: string[], ...want: Array<[number, Transition]>) => want.forEach(([i, tr]) => expect(t[i]).toBe(tr));

describe('alert state machine', () => {
  test('for: 1 fires on the first breach and resolves when it clears', () => {
    const { transitions } = run('..xx..');
    expect(transitions).toEqual(['', '', 'fired', '', 'resolved', '']);
  });

  test('for: 3 waits for three consecutive breaches (pending before)', () => {
    const { transitions, phases } = run('xx.xxx', { for: 3 });
    expect(transitions).toEqual(['pending', '', 'cleared', 'pending', '', 'fired']);
    expect(phases).toEqual(['pending', 'pending', '-', 'pending', 'pending', 'firing']);
  });

  test('a pending alert is dropped as soon as the condition clears, without notification', () => {
    const { transitions } = run('x.', { for: 2 });
    expect(transitions).toEqual(['pending', 'cleared']);
  });

  test('repeat interval resends a still-firing alert', () => {
    const { transitions } = run('xxxxxxx', { repeatIntervalMs: 3 * 60_000 });
    // fired at 0, repeats at 3 and 6 minutes
    expect(transitions).toEqual(['fired', '', '', 'repeat', '', '', 'repeat']);
  });

  test('keep_firing_for holds a flapping alert firing', () => {
    const { transitions, phases } = run('x.x...', { keepFiringForMs: 2 * 60_000 });
    expect(transitions).toEqual(['fired', '', '', '', 'resolved', '']);
    expect(phases.slice(0, 4)).toEqual(['firing', 'firing', 'firing', 'firing']);
  });

  test('a breach after resolution opens a new episode with a new start', () => {
    const r: AlertRule = { for: 1, keepFiringForMs: 0, repeatIntervalMs: 1e9 };
    const id = { fingerprint: 'f', check: 'c', labels: {} };
    const ev = (breach: boolean) => ({ breach, value: 1, expected: null });
    const a1 = step(undefined, ev(true), 0, r, id).next!;
    const resolved = step(a1, ev(false), 60_000, r, id);
    expect(resolved.transition).toBe('resolved');
    expect(resolved.next!.resolvedAt).toBe(60_000);
    const again = step(resolved.next, ev(true), 120_000, r, id);
    expect(again.transition).toBe('fired');
    expect(again.next!.activeAt).toBe(120_000);
  });

  test('firing keeps the latest value and band for repeats and resolution', () => {
    const r: AlertRule = { for: 1, keepFiringForMs: 0, repeatIntervalMs: 60_000 };
    const id = { fingerprint: 'f', check: 'c', labels: {} };
    const a = step(undefined, { breach: true, value: 5, expected: { lower: 10, upper: 20 } }, 0, r, id).next!;
    const b = step(a, { breach: true, value: 3, expected: { lower: 11, upper: 21 } }, 60_000, r, id);
    expect(b.transition).toBe('repeat');
    expect(b.next!.value).toBe(3);
    expect(b.next!.expected).toEqual({ lower: 11, upper: 21 });
    expect(b.next!.activeAt).toBe(0);
  });
});

void at;
