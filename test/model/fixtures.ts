import { DemoWorld } from '../../src/demo/world';
import { noFaults } from '../../src/demo/faults';
import type { ServingEvent } from '../../src/events/contract';
import type { ModelRequest } from '../../src/model/protocol';

/** capturedRequests: `n` model requests as serving events captured them in the demo world. */
export function capturedRequests(n: number): ModelRequest[] {
  const start = Date.UTC(2024, 2, 4, 18);
  const world = new DemoWorld({ seed: 9, startTime: start, faults: noFaults() });
  const servings = world.step(start, start + 30 * 60_000).filter((e): e is ServingEvent => e.type === 'serving');
  if (servings.length < n) throw new Error(`only ${servings.length} requests captured`);
  return servings.slice(0, n).map((s) => ({ request_id: s.request_id, user_id: s.user_id, context: s.context, candidates: s.candidates }));
}

/** noSleep: retries without waiting, so retry tests take no time. */
export const noSleep = async () => undefined;
