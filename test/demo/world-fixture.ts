import type { EngagementEvent, ImpressionEvent, RecEvent, ServingEvent } from '../../src/events/contract';
import { DemoWorld } from '../../src/demo/world';

export const H = 3_600_000;
export const M = 60_000;
/** 2024-03-04 08:00 UTC: the default schedule's faults then fall between 09:00 and 20:00 */
export const START = Date.UTC(2024, 2, 4, 8, 0, 0);

/** world: the default demo world (default fault schedule) with a fixed seed and start. */
export function world(seed = 7): DemoWorld {
  return new DemoWorld({ seed, startTime: START, realClock: () => 0 });
}

/** slice: the events of simulated hours [fromH, toH) after START. */
export function slice(w: DemoWorld, fromH: number, toH: number): RecEvent[] {
  return w.step(START + fromH * H, START + toH * H);
}

export const servings = (ev: RecEvent[]) => ev.filter((e): e is ServingEvent => e.type === 'serving');
export const impressions = (ev: RecEvent[]) => ev.filter((e): e is ImpressionEvent => e.type === 'impression');
export const engagements = (ev: RecEvent[]) => ev.filter((e): e is EngagementEvent => e.type === 'engagement');

/** engagementRate: engagements ÷ impressions, as the engagement-rate check computes it. */
export function engagementRate(ev: RecEvent[]): number {
  return engagements(ev).length / impressions(ev).length;
}
