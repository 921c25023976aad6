import { coldStartKind } from '../../src/check-kinds/cold-start';
import { feed, H, imp, item, M, make, T0 } from './events';

const DAY = 24 * H;

describe('cold-start: new items with no exposure after launch', () => {
  test('an item unseen for `grace` after launch is named, with evidence; a shown one is not', () => {
    const c = make(coldStartKind, { window: '15m', grace: '2h' });
    feed(c, [imp('old', T0), item('shown', T0 + H), item('starved', T0 + H), imp('shown', T0 + H + 10 * M)]);
    expect(c.close(T0 + 2.5 * H, T0 + 2.75 * H)[0].value).toBe(0); // starved is 1h45m old
    const [o] = c.close(T0 + 2.75 * H, T0 + 3 * H);
    expect(o.value).toBe(1);
    expect(o.summary).toBe('1 new item(s) without any impression 2h after launch: starved');
    expect(o.evidence).toEqual([{ name: 'item=starved', value: 0, note: 'no impression in 2h since launch' }]);
    expect(o.details).toMatchObject({ new_items_watched: 2 });
    expect(o.informational).toBe(true); // the total is for dashboards; each item alerts on its own
  });

  test('each starving item is its own series, so a second one pages while the first is unresolved; a shown item reports 0 once', () => {
    const c = make(coldStartKind, { window: '15m', grace: '1h' });
    feed(c, [item('a', T0), item('b', T0 + 2 * H)]);
    const first = c.close(T0 + 1.5 * H, T0 + 1.75 * H);
    expect(first.slice(1).map((o) => [o.labels, o.value])).toEqual([[{ segment: 'item=a' }, 1]]);
    expect(first[1].summary).toBe('new item a without any impression 1h45m after launch');
    const both = c.close(T0 + 3 * H, T0 + 3.25 * H);
    expect(both[0].value).toBe(2);
    expect(both.slice(1).map((o) => [o.labels.segment, o.value])).toEqual([['item=a', 1], ['item=b', 1]]);
    expect(both[2].summary).toBe('new item b without any impression 1h15m after launch; 2 new items starving in all');
    feed(c, [imp('a', T0 + 3.3 * H)]);
    const shown = c.close(T0 + 3.25 * H, T0 + 3.5 * H);
    expect(shown.slice(1).map((o) => [o.labels.segment, o.value])).toEqual([['item=b', 1], ['item=a', 0]]);
    expect(c.close(T0 + 3.5 * H, T0 + 3.75 * H).slice(1).map((o) => o.labels.segment)).toEqual(['item=b']);
  });

  test('an item launched before the stream started is judged `grace` after the first event, not after its launch', () => {
    const c = make(coldStartKind, { window: '15m', grace: '2h' });
    feed(c, [imp('old', T0), item('earlier', T0 - 5 * H, { ts: T0 + 30 * M })]);
    expect(c.close(T0 + 1.75 * H, T0 + 2 * H - M)[0].value).toBe(0);
    expect(c.close(T0 + 2 * H - M, T0 + 2 * H)[0].summary).toContain('earlier');
  });

  test('announced items are not judged before launch; a catalogue dump of old items does not push new ones out', () => {
    const c = make(coldStartKind, { window: '15m', grace: '1h', max_items: 2 });
    feed(c, [
      item('new-1', T0),
      item('announced', T0 + 10 * H, { ts: T0 }),
      ...[1, 2, 3].map((i) => item(`catalogue-${i}`, T0 - 30 * DAY, { ts: T0 + M })),
    ]);
    const [o] = c.close(T0 + 2 * H, T0 + 2.25 * H);
    expect(o.value).toBe(1);
    expect(o.summary).toContain(': new-1');
    expect(o.details).toMatchObject({ new_items_watched: 1 });
  });
});
