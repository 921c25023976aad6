import type { EngagementEvent, ImpressionEvent, ServingEvent } from '../../src/events/contract';
import type { CheckKind, Observation, StreamingCheck } from '../../src/check-kinds/kind';

/** Event builders for the check-kind tests: only the fields a test cares about are given. */
export const imp = (ts: number, request_id: string, user_id: string, item_id: string, position: number, extra: Partial<ImpressionEvent> = {}): ImpressionEvent => ({
  type: 'impression', ts, request_id, user_id, item_id, position, score: 0.5, model_version: 'v1', ...extra,
});

export const eng = (ts: number, user_id: string, item_id: string, extra: Partial<EngagementEvent> = {}): EngagementEvent => ({
  type: 'engagement', ts, user_id, item_id, action: 'play', ...extra,
});

export const serving = (ts: number, request_id: string, slate: number, extra: Partial<ServingEvent> = {}): ServingEvent => ({
  type: 'serving', ts, request_id, user_id: 'u', model_version: 'v1', context: {}, candidates: [], scores: new Array(slate).fill(0.5), latency_ms: 10, ...extra,
});

/** streaming: a check runtime from YAML-like fields, as load-checks would build it. */
export function streaming(kind: CheckKind<any>, fields: Record<string, unknown>): StreamingCheck {
  const def = kind.schema.parse({ name: 't', kind: kind.kind, ...fields });
  const rt = kind.create(def, {} as never);
  if (rt.mode !== 'streaming') throw new Error('not streaming');
  return rt;
}

/** window: feeds events into the window starting at 0 and closes it. */
export function closeWindow(check: StreamingCheck, events: Parameters<StreamingCheck['add']>[1][], ws = 0): Observation[] {
  for (const e of events) check.add(ws, e);
  return check.close(ws, ws + check.windowMs);
}
