import type { CheckKind, Observation, StreamingCheck } from '../../src/check-kinds/kind';
import type { Features, RecEvent, ServingEvent } from '../../src/events/contract';
import { systemClock } from '../../src/clock';
import { createLogger } from '../../src/telemetry/logger';

export const MIN = 60_000;
export const T0 = Date.parse('2026-11-23T06:00:00Z');

/** streamingCheck parses a check definition as a YAML file would give it and creates its runtime. */
export function streamingCheck(kind: CheckKind<any>, def: Record<string, unknown>): StreamingCheck {
  const parsed = kind.schema.parse({ name: 'test', kind: kind.kind, ...def });
  return kind.create(parsed, { clock: systemClock, logger: createLogger({ level: 'error' }) }) as StreamingCheck;
}

/** runWindows feeds each window's events to the check and returns each window's observations. */
export function runWindows(check: StreamingCheck, windows: RecEvent[][]): Observation[][] {
  return windows.map((events, i) => {
    const ws = T0 + i * check.windowMs;
    for (const e of events) check.add(ws, { ...e, ts: ws + 1 } as RecEvent);
    return check.close(ws, ws + check.windowMs);
  });
}

let requests = 0;
/** serving: one serving event whose candidates carry the given features (context too). */
export function serving(candidates: Features[], context: Features = {}, extra: Partial<ServingEvent> = {}): ServingEvent {
  const id = `r${requests++}`;
  return {
    type: 'serving', ts: T0, request_id: id, user_id: 'u1', model_version: 'v1', context,
    candidates: candidates.map((features, i) => ({ item_id: `i${i}`, features })), scores: candidates.map(() => 0.5), latency_ms: 10, ...extra,
  };
}

/** series picks the value of the observation with these labels, undefined when not reported. */
export function valueOf(obs: Observation[], labels: Record<string, string>): number | undefined {
  return obs.find((o) => Object.entries(labels).every(([k, v]) => (o.labels as Record<string, string>)[k] === v))?.value;
}
