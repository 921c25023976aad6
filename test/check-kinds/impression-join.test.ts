import { ImpressionJoin } from '../../src/check-kinds/impression-join';
import { eng, imp } from './events';

const MIN = 60_000;

describe('ImpressionJoin', () => {
  test('request mode, per item: finds the impression of the same request and item only', () => {
    const j = new ImpressionJoin<number>({ mode: 'request', capacity: 10, windowMs: 0, perItem: true });
    j.remember(imp(0, 'r1', 'u1', 'a', 0), 0);
    j.remember(imp(0, 'r1', 'u1', 'b', 1), 1);
    expect(j.find(eng(1000, 'u1', 'b', { request_id: 'r1' }))).toBe(1);
    expect(j.find(eng(1000, 'u1', 'c', { request_id: 'r1' }))).toBeUndefined();
    expect(j.find(eng(1000, 'u1', 'b'))).toBeUndefined(); // no request_id: nothing to join on
  });

  test('user_item mode: the latest showing of the item to the user, within the window, not before it', () => {
    const j = new ImpressionJoin<string>({ mode: 'user_item', capacity: 10, windowMs: 30 * MIN, perItem: false });
    j.remember(imp(0, 'r1', 'u1', 'a', 3), 'first');
    j.remember(imp(10 * MIN, 'r2', 'u1', 'a', 0), 'second');
    expect(j.find(eng(12 * MIN, 'u1', 'a'))).toBe('second');
    expect(j.find(eng(41 * MIN, 'u1', 'a'))).toBeUndefined(); // 31 minutes after the latest showing
    expect(j.find(eng(5 * MIN, 'u1', 'a'))).toBeUndefined(); // before the latest showing
    expect(j.find(eng(12 * MIN, 'u2', 'a'))).toBeUndefined(); // another user
  });

  test('forgets the oldest impressions past its capacity', () => {
    const j = new ImpressionJoin<number>({ mode: 'request', capacity: 2, windowMs: 0, perItem: false });
    for (const [i, r] of ['r1', 'r2', 'r3'].entries()) j.remember(imp(0, r, 'u', 'a', 0), i);
    expect([j.find(eng(1, 'u', 'a', { request_id: 'r1' })), j.find(eng(1, 'u', 'a', { request_id: 'r3' }))]).toEqual([undefined, 2]);
  });
});
