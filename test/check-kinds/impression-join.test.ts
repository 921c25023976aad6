import { ImpressionJoin } from '../../src/check-kinds/impression-join';
import { eng, imp } from './events';

const MIN = 60_000;

describe('ImpressionJoin', () => {
  test('request mode, per item: finds the impression of the same request and item only, with its tag and number', () => {
    const j = new ImpressionJoin({ mode: 'request', capacity: 10, windowMs: 0, perItem: true });
    j.remember(imp(0, 'r1', 'u1', 'a', 0), 7, 0);
    j.remember(imp(0, 'r1', 'u1', 'b', 1), 8, 1);
    const hit = j.find(eng(1000, 'u1', 'b', { request_id: 'r1' }));
    expect([j.tag(hit), j.num(hit)]).toEqual([8, 1]);
    expect(j.find(eng(1000, 'u1', 'c', { request_id: 'r1' }))).toBe(-1);
    expect(j.find(eng(1000, 'u1', 'b'))).toBe(-1); // no request_id: nothing to join on
  });

  test('request mode, per request: any item of the request joins', () => {
    const j = new ImpressionJoin({ mode: 'request', capacity: 10, windowMs: 0, perItem: false });
    j.remember(imp(0, 'r1', 'u1', 'a', 0), 3);
    expect(j.tag(j.find(eng(1000, 'u1', 'zzz', { request_id: 'r1' })))).toBe(3);
    expect(j.find(eng(1000, 'u1', 'a', { request_id: 'r2' }))).toBe(-1);
  });

  test('user_item mode: the latest showing of the item to the user, within the window, not before it', () => {
    const j = new ImpressionJoin({ mode: 'user_item', capacity: 10, windowMs: 30 * MIN, perItem: false });
    j.remember(imp(0, 'r1', 'u1', 'a', 3), 1);
    j.remember(imp(10 * MIN, 'r2', 'u1', 'a', 0), 2);
    expect(j.tag(j.find(eng(12 * MIN, 'u1', 'a')))).toBe(2);
    expect(j.find(eng(41 * MIN, 'u1', 'a'))).toBe(-1); // 31 minutes after the latest showing
    expect(j.find(eng(5 * MIN, 'u1', 'a'))).toBe(-1); // before the latest showing
    expect(j.find(eng(12 * MIN, 'u2', 'a'))).toBe(-1); // another user
  });

  test('remembers at least its capacity of the latest impressions, and forgets older ones', () => {
    const j = new ImpressionJoin({ mode: 'request', capacity: 2, windowMs: 0, perItem: false });
    for (let i = 0; i < 6; i++) j.remember(imp(0, `r${i}`, 'u', 'a', 0), i);
    const found = (r: string) => j.find(eng(1, 'u', 'a', { request_id: r })) >= 0;
    expect([found('r4'), found('r5')]).toEqual([true, true]); // the last `capacity`
    expect([found('r0'), found('r1')]).toEqual([false, false]); // beyond twice the capacity
  });
});
