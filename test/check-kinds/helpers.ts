import type { CheckDeps, CheckKind, Observation, StreamingCheck } from '../../src/check-kinds/kind';
import type { Features, RecEvent, ServingEvent } from '../../src/events/contract';
import { systemClock } from '../../src/clock';
import { createLogger } from '../../src/telemetry/logger';

export const MIN = 60_000;
export const T0 = Date.parse('2026-11-23T06:00:00Z');

/**
 * streamingCheck parses a check definition as a YAML file would give it and creates its runtime;
 * `deps` adds parts the pipeline shares between checks (shownImpressions, servingFeatures).
 */
export function streamingCheck(kind: CheckKind<any>, def: Record<string, unknown>, deps: Partial<CheckDeps> = {}): StreamingCheck {
  const parsed = kind.schema.parse({ name: 'test', kind: kind.kind, ...def });
  return kind.create(parsed, { clock: systemClock, logger: createLogger({ level: 'error' }), ...deps }) as StreamingCheck;
}

/** runWindows feeds each window's events to the check and returns each window's observations. */
export function runWindows(check: StreamingCheck, windows: RecEvent[][]): Observation[][] {
  return windows.map((events, i) => {
    const ws = T0 + i * check.windowMs;
    for (const e of events) check.add(ws, { ...e, ts: ws + 1 } as RecEvent);
    return check.close(ws, ws + check.windowMs);
  });
}

/**
 * runInTurn feeds each window's events to several checks as the window engine does — each check
 * takes a run of `chunk` events of its types in turn — and returns, per window, each check's observations.
 */
export function runInTurn(checks: StreamingCheck[], windows: RecEvent[][], chunk = 64): Observation[][][] {
  return windows.map((events, w) => {
    const ws = T0 + w * checks[0].windowMs;
    for (let from = 0; from < events.length; from += chunk)
      for (const c of checks) for (const e of events.slice(from, from + chunk)) if (c.eventTypes.includes(e.type)) c.add(ws, e);
    return checks.map((c) => c.close(ws, ws + c.windowMs));
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
