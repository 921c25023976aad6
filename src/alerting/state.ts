import type { ExpectedBand } from '../detectors/detector';

/** AlertRule: how one check turns breaches into alerts (Prometheus rule semantics). */
export interface AlertRule {
  /** consecutive breaching evaluations before pending becomes firing */
  for: number;
  /** a firing alert stays firing this long after its last breach (flapping guard) */
  keepFiringForMs: number;
  /** a still-firing alert is sent again this often */
  repeatIntervalMs: number;
}

export type AlertPhase = 'pending' | 'firing' | 'resolved';

/** AlertInstance is the state of one alert (one fingerprint: a check and a series' labels). */
export interface AlertInstance {
  fingerprint: string;
  check: string;
  labels: Record<string, string>;
  phase: AlertPhase;
  /** consecutive breaching evaluations so far */
  breaches: number;
  /** time of the first breach of this episode */
  activeAt: number;
  firedAt?: number;
  lastBreachAt: number;
  lastSentAt?: number;
  resolvedAt?: number;
  value: number;
  expected: ExpectedBand | null;
  issueId?: string;
}

export interface Evaluation {
  breach: boolean;
  value: number;
  expected: ExpectedBand | null;
}

/** What happened in one step, for the notifier and the issue store. */
export type Transition = 'pending' | 'fired' | 'repeat' | 'resolved' | 'cleared' | null;

export interface StepResult {
  next: AlertInstance | undefined;
  transition: Transition;
}

/**
 * step advances one alert by one evaluation at time `now`. Pure: no clock, no I/O, so `for`,
 * keep-firing and repeat are tested by feeding times.
 */
export function step(
  prev: AlertInstance | undefined,
  ev: Evaluation,
  now: number,
  rule: AlertRule,
  id: { fingerprint: string; check: string; labels: Record<string, string> },
): StepResult {
  const active = prev && prev.phase !== 'resolved' ? prev : undefined;
  if (!active) {
    if (!ev.breach) return { next: undefined, transition: null };
    const base: AlertInstance = { ...id, phase: 'pending', breaches: 1, activeAt: now, lastBreachAt: now, value: ev.value, expected: ev.expected };
    return rule.for <= 1 ? { next: fire(base, now), transition: 'fired' } : { next: base, transition: 'pending' };
  }
  if (active.phase === 'pending') {
    if (!ev.breach) return { next: undefined, transition: 'cleared' };
    const next = { ...active, breaches: active.breaches + 1, lastBreachAt: now, value: ev.value, expected: ev.expected };
    return next.breaches >= rule.for ? { next: fire(next, now), transition: 'fired' } : { next, transition: null };
  }
  // firing
  if (ev.breach) {
    const next = { ...active, breaches: active.breaches + 1, lastBreachAt: now, value: ev.value, expected: ev.expected };
    if (now - (active.lastSentAt ?? active.firedAt ?? now) >= rule.repeatIntervalMs) {
      return { next: { ...next, lastSentAt: now }, transition: 'repeat' };
    }
    return { next, transition: null };
  }
  if (now - active.lastBreachAt < rule.keepFiringForMs) {
    return { next: { ...active, breaches: 0 }, transition: null };
  }
  return {
    next: { ...active, phase: 'resolved', breaches: 0, resolvedAt: now, value: ev.value, expected: ev.expected },
    transition: 'resolved',
  };
}

function fire(a: AlertInstance, now: number): AlertInstance {
  return { ...a, phase: 'firing', firedAt: now, lastSentAt: now };
}
