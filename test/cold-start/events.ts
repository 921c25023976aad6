import type { ImpressionEvent, ItemEvent, EngagementEvent, ServingEvent } from '../../src/events/contract';
import type { CheckKind, CheckRuntime, CheckDeps, StreamingCheck } from '../../src/check-kinds/kind';

export const T0 = Date.parse('2026-11-23T00:00:00Z');
export const H = 3_600_000;
export const M = 60_000;

export const item = (id: string, launch: number, o: Partial<ItemEvent> = {}): ItemEvent => ({ type: 'item', ts: launch, item_id: id, launch_ts: launch, ...o });
export const imp = (id: string, ts: number, position = 0): ImpressionEvent => ({
  type: 'impression', ts, request_id: `r-${ts}-${id}`, user_id: 'u', item_id: id, position, score: 0.5, model_version: 'v1',
});
export const eng = (id: string, ts: number): EngagementEvent => ({ type: 'engagement', ts, user_id: 'u', item_id: id, action: 'play' });
export const serving = (id: string, ts: number, candidates: Array<[string, number]>, version = 'v1'): ServingEvent => ({
  type: 'serving', ts, request_id: id, user_id: `user-${id}`, model_version: version, context: { device: 'tv' },
  candidates: candidates.map(([item_id, q]) => ({ item_id, features: { q } })), scores: candidates.map(() => 0.5), latency_ms: 10,
});

export const quietDeps: CheckDeps = {
  clock: () => 0,
  logger: { debug() {}, info() {}, warn() {}, error() {}, child() { return quietDeps.logger; } } as unknown as CheckDeps['logger'],
};

/** make parses a check definition with the kind's schema (defaults included) and creates its runtime. */
export function make<R extends CheckRuntime = StreamingCheck>(kind: CheckKind<any>, fields: Record<string, unknown>, deps: CheckDeps = quietDeps): R {
  return kind.create(kind.schema.parse({ name: 'test', kind: kind.kind, ...fields }), deps) as R;
}

/** feed adds events in ts order to their window. */
export function feed(c: StreamingCheck, events: Array<{ ts: number; type: string }>): void {
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) c.add(Math.floor(e.ts / c.windowMs) * c.windowMs, e as never);
}
