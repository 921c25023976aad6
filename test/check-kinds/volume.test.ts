import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCheckKinds } from '../../src/check-kinds';
import { labelValue, volumeKind } from '../../src/check-kinds/volume';
import { loadChecks } from '../../src/config/load-checks';
import { builtinDetectors } from '../../src/detectors';
import type { ItemEvent } from '../../src/events/contract';
import { runWindows, serving, streamingCheck } from './helpers';

describe('volume by event fields', () => {
  test('context.<name> of serving events goes into the segment label, next to the fixed labels', () => {
    const c = streamingCheck(volumeKind, { event_type: 'serving', by: ['surface', 'context.country'] });
    const ev = (surface: string, country?: string) => serving([{}], country === undefined ? {} : { country }, { surface });
    const [w1, w2] = runWindows(c, [
      [ev('home', 'DE'), ev('home', 'DE'), ev('home', 'FR'), ev('search', 'DE'), ev('home')],
      [ev('home', 'FR')],
    ]);
    const rows = (obs: typeof w1) => obs.map((o) => [o.labels.surface, o.labels.segment, o.value]);
    expect(rows(w1)).toEqual([
      ['home', 'context.country=DE', 2],
      ['home', 'context.country=FR', 1],
      ['search', 'context.country=DE', 1],
      ['home', 'context.country=none', 1],
    ]);
    // a series seen before reports zero when it goes quiet
    expect(rows(w2)).toEqual([
      ['home', 'context.country=DE', 0],
      ['home', 'context.country=FR', 1],
      ['search', 'context.country=DE', 0],
      ['home', 'context.country=none', 0],
    ]);
    expect(w1[0].labels).toEqual({ event_type: 'serving', surface: 'home', segment: 'context.country=DE' });
  });

  test('attributes.<name> of item events, several fields joined in the order of `by`', () => {
    const c = streamingCheck(volumeKind, { event_type: 'item', by: ['cohort', 'attributes.studio', 'attributes.tier'] });
    const item = (studio: unknown, tier?: unknown): ItemEvent => ({ type: 'item', ts: 0, item_id: 'i', launch_ts: 0, cohort: 'drama', attributes: { studio, tier } });
    const [w] = runWindows(c, [[item('A', 1), item('A', 1), item('B'), item({ x: 1 }, true)]]);
    expect(w.map((o) => [o.labels.cohort, o.labels.segment, o.value])).toEqual([
      ['drama', 'attributes.studio=A,attributes.tier=1', 2],
      ['drama', 'attributes.studio=B,attributes.tier=none', 1],
      ['drama', 'attributes.studio={"x":1},attributes.tier=true', 1],
    ]);
  });

  test('label values are cut to 64 characters', () => {
    expect(labelValue('x'.repeat(100))).toBe('x'.repeat(64));
    expect(labelValue(null)).toBe('none');
  });

  test('a field the event type does not have is a config problem naming the file, path and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rso-volume-'));
    writeFileSync(join(dir, 'a.yaml'), 'kind: volume\nevent_type: impression\nby: [surface, context.country]\n');
    writeFileSync(join(dir, 'b.yaml'), 'kind: volume\nevent_type: impression\nby: [country]\n');
    const { checks, problems } = loadChecks(dir, builtinCheckKinds(), builtinDetectors());
    expect(checks).toEqual([]);
    const text = problems.map((p) => `${p.file.slice(dir.length + 1)}: ${p.path}: ${p.message}`).sort();
    expect(text[0]).toMatch(/^a\.yaml: by\[1\] \(line 3\): context\.country is only in serving events, but event_type is impression$/);
    expect(text[1]).toMatch(/^b\.yaml: by\[0\] \(line 3\): .*expected one of surface, model_version, action, cohort, context\.<feature> \(serving events\) or attributes\.<name> \(item events\)/);
  });
});
