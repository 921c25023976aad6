import { activeMute, lastCronStart, muteSchema, type MuteWindow } from '../../src/alerting/mute';

/** Mute windows: which evaluations they silence, by hand-picked times (2026-11-28 is a Saturday). */

const T = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const mutes = (raw: unknown[]): MuteWindow[] => muteSchema.parse(raw);
/** a scheduled check's evaluation at one instant */
const mutedAt = (m: MuteWindow[], iso: string) => activeMute(m, T(iso), T(iso) + 1) !== undefined;
/** a streaming window [start, end) */
const windowMuted = (m: MuteWindow[], start: string, end: string) => activeMute(m, T(start), T(end)) !== undefined;

describe('absolute mute windows', () => {
  const m = mutes([{ from: '2026-11-28T02:00:00Z', to: '2026-11-28T04:00:00Z', reason: 'db migration' }]);

  test('a streaming window is muted when it overlaps the range, not when it only touches it', () => {
    expect(windowMuted(m, '2026-11-28T01:50:00Z', '2026-11-28T02:00:00Z')).toBe(false); // ends as maintenance starts
    expect(windowMuted(m, '2026-11-28T01:55:00Z', '2026-11-28T02:05:00Z')).toBe(true);
    expect(windowMuted(m, '2026-11-28T03:50:00Z', '2026-11-28T04:00:00Z')).toBe(true); // its data is from the maintenance
    expect(windowMuted(m, '2026-11-28T04:00:00Z', '2026-11-28T04:10:00Z')).toBe(false);
  });

  test('the active window carries its reason and its range', () => {
    expect(activeMute(m, T('2026-11-28T03:00:00Z'), T('2026-11-28T03:00:00Z') + 1)).toEqual({
      from: T('2026-11-28T02:00:00Z'),
      to: T('2026-11-28T04:00:00Z'),
      reason: 'db migration',
    });
  });
});

describe('recurring mute windows', () => {
  test('every Sunday 02:00 for 2h (UTC by default)', () => {
    const m = mutes([{ cron: '0 2 * * 0', duration: '2h' }]);
    expect(mutedAt(m, '2026-11-29T01:59:59Z')).toBe(false);
    expect(mutedAt(m, '2026-11-29T02:00:00Z')).toBe(true);
    expect(mutedAt(m, '2026-11-29T03:59:59Z')).toBe(true);
    expect(mutedAt(m, '2026-11-29T04:00:00Z')).toBe(false);
    expect(mutedAt(m, '2026-11-28T02:30:00Z')).toBe(false); // Saturday
    expect(mutedAt(m, '2026-12-06T02:30:00Z')).toBe(true); // the next Sunday
  });

  test('a window that starts before midnight runs into the next day', () => {
    const m = mutes([{ cron: '30 23 * * *', duration: '90m', reason: 'nightly batch' }]);
    expect(mutedAt(m, '2026-11-28T23:29:00Z')).toBe(false);
    expect(mutedAt(m, '2026-11-28T23:30:00Z')).toBe(true);
    expect(mutedAt(m, '2026-11-29T00:59:00Z')).toBe(true);
    expect(mutedAt(m, '2026-11-29T01:00:00Z')).toBe(false);
    expect(activeMute(m, T('2026-11-29T00:15:00Z'), T('2026-11-29T00:15:00Z') + 1)?.from).toBe(T('2026-11-28T23:30:00Z'));
  });

  test('a Saturday-night window runs across the week boundary into Sunday', () => {
    const m = mutes([{ cron: '0 22 * * sat', duration: '6h' }]);
    expect(mutedAt(m, '2026-11-28T21:59:00Z')).toBe(false);
    expect(mutedAt(m, '2026-11-29T03:59:00Z')).toBe(true); // Sunday, 5h59m after the Saturday start
    expect(mutedAt(m, '2026-11-29T04:00:00Z')).toBe(false);
    expect(mutedAt(m, '2026-11-29T22:30:00Z')).toBe(false); // Sunday night is not Saturday night
  });

  test('a streaming window that ends inside a recurring window is muted, one that ends before is not', () => {
    const m = mutes([{ cron: '0 2 * * 0', duration: '2h' }]);
    expect(windowMuted(m, '2026-11-29T01:50:00Z', '2026-11-29T02:00:00Z')).toBe(false);
    expect(windowMuted(m, '2026-11-29T01:55:00Z', '2026-11-29T02:05:00Z')).toBe(true);
    expect(windowMuted(m, '2026-11-29T03:55:00Z', '2026-11-29T04:05:00Z')).toBe(true);
    expect(windowMuted(m, '2026-11-29T04:00:00Z', '2026-11-29T04:10:00Z')).toBe(false);
  });

  test('timezone: Sundays 02:00 in Berlin are 01:00Z in winter (CET) and 00:00Z in summer (CEST)', () => {
    const m = mutes([{ cron: '0 2 * * 0', duration: '1h', timezone: 'Europe/Berlin' }]);
    expect(mutedAt(m, '2026-11-29T00:59:00Z')).toBe(false);
    expect(mutedAt(m, '2026-11-29T01:00:00Z')).toBe(true);
    expect(mutedAt(m, '2026-11-29T01:59:00Z')).toBe(true);
    expect(mutedAt(m, '2026-11-29T02:00:00Z')).toBe(false);
    expect(mutedAt(m, '2026-07-05T00:30:00Z')).toBe(true);
    expect(mutedAt(m, '2026-07-05T01:30:00Z')).toBe(false);
  });

  test('lastCronStart finds the latest start within the look-back, or none', () => {
    const m = { cron: '15 */6 * * *', timezone: 'UTC' };
    expect(lastCronStart(m, T('2026-11-28T13:00:00Z'), 24 * 60 * MIN)).toBe(T('2026-11-28T12:15:00Z'));
    expect(lastCronStart(m, T('2026-11-28T12:15:00Z'), 60 * MIN)).toBe(T('2026-11-28T12:15:00Z'));
    expect(lastCronStart(m, T('2026-11-28T12:14:00Z'), 60 * MIN)).toBeUndefined();
  });
});

describe('mute schema', () => {
  const problems = (raw: unknown[]) => {
    const r = muteSchema.safeParse(raw);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('valid entries parse; times become epoch ms and the time zone defaults to UTC', () => {
    expect(mutes([{ from: '2026-12-24T00:00:00Z', to: '2026-12-27T00:00:00+01:00' }, { cron: '0 2 * * 0', duration: '2h' }])).toEqual([
      { from: T('2026-12-24T00:00:00Z'), to: T('2026-12-26T23:00:00Z') },
      { cron: '0 2 * * 0', duration: 7_200_000, timezone: 'UTC' },
    ]);
    expect(muteSchema.parse(undefined)).toEqual([]);
  });

  test('mistakes name the field and what was expected', () => {
    expect(problems([{ from: '2026-12-27T00:00:00Z', to: '2026-12-24T00:00:00Z' }])).toEqual(['0.to: "to" must be after "from"']);
    expect(problems([{ from: 'christmas', to: '2026-12-24T00:00:00Z' }])[0]).toMatch(/^0\.from: expected an ISO-8601 time/);
    expect(problems([{ cron: '0 2 * *', duration: '2h' }])[0]).toMatch(/^0\.cron: expected a 5-field cron expression/);
    expect(problems([{ cron: '0 0 2 * * 0', duration: '2h' }])[0]).toMatch(/^0\.cron: expected a 5-field cron expression/);
    expect(problems([{ cron: '0 2 L * *', duration: '2h' }])[0]).toMatch(/^0\.cron: /);
    expect(problems([{ cron: '0 2 * * 0', duration: '8d' }])).toEqual(['0.duration: expected a duration from 1m to 7d']);
    expect(problems([{ cron: '0 2 * * 0', duration: '2h', timezone: 'Mars/Olympus' }])).toEqual(['0.timezone: expected an IANA time zone such as UTC or Europe/Berlin']);
    expect(problems([{ cron: '0 2 * * 0', duration: '2h', every: 'week' }])[0]).toMatch(/unrecognized|every/i);
  });
});
