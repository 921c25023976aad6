import { existsSync, readFileSync } from 'node:fs';
import type { ExpectedBand } from '../detectors/detector';
import { writeFileAtomic } from '../util/atomic-write';
import { fingerprint } from './fingerprint';
import { step, type AlertInstance, type AlertRule, type Transition } from './state';

/** SeriesVerdict: one series of a check, judged by its detector at one evaluation. */
export interface SeriesVerdict {
  labels: Record<string, string>;
  value: number;
  expected: ExpectedBand | null;
  breach: boolean;
  /**
   * unknown: the detector is still learning (after a restart, or a new series), so the series can
   * neither breach nor clear: its alert, if any, keeps its state instead of resolving falsely.
   */
  unknown?: boolean;
}

export interface AlertChange {
  instance: AlertInstance;
  transition: Exclude<Transition, null>;
}

/**
 * AlertManager keeps one AlertInstance per fingerprint and steps them with each evaluation of their
 * check. A series that is no longer reported counts as not breaching. Firing state is persisted so a
 * restart does not re-page for alerts already sent.
 */
export class AlertManager {
  private readonly alerts = new Map<string, AlertInstance>();
  /** series whose alert a user marked a false alarm: they may not fire again until judged normal once */
  private readonly suppressed = new Set<string>();

  constructor(private readonly stateFile?: string) {
    if (stateFile && existsSync(stateFile)) {
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { alerts: AlertInstance[]; suppressed?: string[] };
      for (const a of saved.alerts) this.alerts.set(a.fingerprint, a);
      for (const fp of saved.suppressed ?? []) this.suppressed.add(fp);
    }
  }

  /**
   * resolveFalseAlarm resolves an active alert at once (a user marked it a false alarm) and keeps
   * its series from firing again until the series has been judged normal once (endSuppression).
   */
  resolveFalseAlarm(fp: string, now: number): AlertChange | undefined {
    const a = this.alerts.get(fp);
    if (!a) return undefined;
    this.alerts.delete(fp);
    this.suppressed.add(fp);
    if (this.stateFile) this.save();
    return { instance: { ...a, phase: 'resolved', breaches: 0, resolvedAt: now }, transition: 'resolved' };
  }

  isSuppressed(fp: string): boolean {
    return this.suppressed.has(fp);
  }

  /** endSuppression: the series was judged normal once; it may fire again. */
  endSuppression(fp: string): void {
    if (this.suppressed.delete(fp) && this.stateFile) this.save();
  }

  evaluate(check: string, rule: AlertRule, verdicts: SeriesVerdict[], now: number): AlertChange[] {
    const changes: AlertChange[] = [];
    const seen = new Set<string>();
    const apply = (fp: string, labels: Record<string, string>, v: Omit<SeriesVerdict, 'labels'>) => {
      const prev = this.alerts.get(fp);
      const { next, transition } = step(prev, v, now, rule, { fingerprint: fp, check, labels });
      if (next && next.phase !== 'resolved') this.alerts.set(fp, next);
      else this.alerts.delete(fp);
      const instance = next ?? prev; // a cleared pending alert reports its last state
      if (transition && instance) changes.push({ instance, transition });
    };
    for (const v of verdicts) {
      const fp = fingerprint(check, v.labels);
      seen.add(fp);
      if (!v.unknown) apply(fp, v.labels, v);
    }
    for (const a of [...this.alerts.values()]) {
      if (a.check === check && !seen.has(a.fingerprint)) apply(a.fingerprint, a.labels, { value: a.value, expected: a.expected, breach: false });
    }
    if (changes.length && this.stateFile) this.save();
    return changes;
  }

  /** setIssue links an alert to the issue it opened, so repeats and the resolution name it too. */
  setIssue(fp: string, issueId: string): void {
    const a = this.alerts.get(fp);
    if (a) {
      a.issueId = issueId;
      if (this.stateFile) this.save();
    }
  }

  get(fp: string): AlertInstance | undefined {
    return this.alerts.get(fp);
  }

  active(): AlertInstance[] {
    return [...this.alerts.values()];
  }

  /** forgetChecks drops the alerts of checks that no longer exist (after a reload). */
  forgetChecks(keep: Set<string>): void {
    for (const [fp, a] of this.alerts) if (!keep.has(a.check)) this.alerts.delete(fp);
  }

  private save(): void {
    writeFileAtomic(this.stateFile!, JSON.stringify({ alerts: [...this.alerts.values()], suppressed: [...this.suppressed] }));
  }
}
