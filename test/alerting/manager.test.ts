import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertManager } from '../../src/alerting/manager';

const rule = { for: 1, keepFiringForMs: 0, repeatIntervalMs: 3_600_000 };
const v = (surface: string, breach: boolean, unknown = false) => ({ labels: { surface }, value: 1, expected: null, breach, unknown });

describe('AlertManager', () => {
  test('one alert per fingerprint; a series that stops reporting clears', () => {
    const m = new AlertManager();
    const fired = m.evaluate('volume', rule, [v('home', true), v('search', true)], 0);
    expect(fired.map((c) => [c.instance.labels.surface, c.transition])).toEqual([
      ['home', 'fired'],
      ['search', 'fired'],
    ]);
    expect(new Set(fired.map((c) => c.instance.fingerprint)).size).toBe(2);
    expect(m.evaluate('volume', rule, [v('home', true)], 60_000)).toEqual([expect.objectContaining({ transition: 'resolved', instance: expect.objectContaining({ labels: { surface: 'search' } }) })]);
    expect(m.active().map((a) => a.labels.surface)).toEqual(['home']);
  });

  test('firing state survives a restart, and a detector still learning neither resolves nor re-fires it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rso-am-')), 'alert-state.json');
    const first = new AlertManager(file);
    first.evaluate('volume', rule, [v('home', true)], 0);
    first.setIssue(first.active()[0].fingerprint, 'abcd1234');

    const second = new AlertManager(file);
    expect(second.active()).toEqual([expect.objectContaining({ phase: 'firing', issueId: 'abcd1234' })]);
    expect(second.evaluate('volume', rule, [v('home', false, true)], 60_000)).toEqual([]);
    expect(second.active()[0].phase).toBe('firing');
    const resolved = second.evaluate('volume', rule, [v('home', false)], 120_000);
    expect(resolved).toEqual([expect.objectContaining({ transition: 'resolved', instance: expect.objectContaining({ issueId: 'abcd1234', resolvedAt: 120_000 }) })]);
  });

  test('alerts of removed checks are forgotten', () => {
    const m = new AlertManager();
    m.evaluate('a', rule, [v('x', true)], 0);
    m.evaluate('b', rule, [v('x', true)], 0);
    m.forgetChecks(new Set(['b']));
    expect(m.active().map((a) => a.check)).toEqual(['b']);
  });
});
