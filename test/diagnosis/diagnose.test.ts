import { DemoWorld } from '../../src/demo/world';
import { noFaults } from '../../src/demo/faults';
import { demoScore } from '../../src/demo/model';
import { diagnoseIssue } from '../../src/diagnosis/diagnose';
import type { CapturedWindow } from '../../src/capture/serving-sampler';
import type { ServingEvent } from '../../src/events/contract';
import type { Issue } from '../../src/issues/issue';

/** diagnoseIssue in process, against the demo's real model, on captures built from a fault-free demo world. */
const START = Date.UTC(2024, 2, 4, 18);
const world = new DemoWorld({ seed: 11, startTime: START, faults: noFaults() });
const all = world.step(START, START + 60 * 60_000).filter((e): e is ServingEvent => e.type === 'serving');
const healthy = all.slice(0, 120);
const later = all.slice(120, 240);
const model = { score: async (reqs: Parameters<typeof demoScore>[0], v: string) => demoScore(reqs, v) };
const issue = { id: 'abcd1234', check: 'engagement-rate' } as Issue;

const windowOf = (events: ServingEvent[]): CapturedWindow => ({
  start: events[0].ts, end: events[events.length - 1].ts + 1, seen: events.length, model_versions: { [events[0].model_version]: events.length }, events,
});
/** serve: the events as a given version would have served them, inputs optionally broken first. */
const serve = (events: ServingEvent[], version: string, breakInputs = false): ServingEvent[] =>
  events.map((e) => {
    const candidates = breakInputs ? e.candidates.map((c) => ({ ...c, features: { ...c.features, user_item_affinity: null } })) : e.candidates;
    const req = { request_id: e.request_id, user_id: e.user_id, context: e.context, candidates };
    return { ...e, candidates, model_version: version, scores: demoScore([req], version)[0].scores };
  });

describe('diagnoseIssue', () => {
  test('broken inputs served by a bad version is both, and the broken feature tops the attribution', async () => {
    const progress: Array<[number, number]> = [];
    const r = await diagnoseIssue({
      issue, model, now: () => 0, onProgress: (d, t) => progress.push([d, t]),
      capture: { failing: windowOf(serve(later, 'v2', true)), reference: windowOf(healthy) },
    });
    expect(r.verdict).toBe('both');
    expect(r.model_versions).toEqual({ failing: 'v2', reference: 'v1' });
    expect(r.attribution!.entries[0].unit).toBe('user_item_affinity');
    expect(r.features).toContainEqual({ feature: 'user_item_affinity', measure: 'null_rate', failing: 1, reference: 0 });
    expect(progress[progress.length - 1][0]).toBe(r.replayed_requests);
  });

  test('healthy inputs through the good version look like the reference: not reproducible, look downstream', async () => {
    const r = await diagnoseIssue({ issue, model, now: () => 0, capture: { failing: windowOf(later), reference: windowOf(healthy) } });
    expect(r.verdict).toBe('not_reproducible');
    expect(r.reproduce!.share).toBe(1);
    expect(r.explanation).toMatch(/downstream/);
  });

  test('without a reference sample the verdict is inconclusive, and says why', async () => {
    const r = await diagnoseIssue({ issue, model, now: () => 0, capture: { failing: windowOf(serve(later, 'v1', true)), reference: null } });
    expect(r.verdict).toBe('inconclusive');
    expect(r.explanation).toMatch(/no healthy reference/);
  });
});
