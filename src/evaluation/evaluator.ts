import { dashboardUid } from '../telemetry/grafana/dashboards';
import { resolve } from 'node:path';
import type { Registry } from '../registry';
import type { Detector, DetectorPlugin, DetectorResult } from '../detectors/detector';
import { SERIES_LABELS, labelsKey, type Observation } from '../check-kinds/kind';
import type { LoadedCheck } from '../config/load-checks';
import type { AlertManager, AlertChange } from '../alerting/manager';
import { fingerprint } from '../alerting/fingerprint';
import type { AlertExplanation, AlertRecord } from '../alerting/alert';
import { IssueStore } from '../issues/store';
import { summarizeCapture, type Issue } from '../issues/issue';
import type { ServingSampler } from '../capture/serving-sampler';
import type { Logger } from '../telemetry/logger';
import type { EvaluationMetrics } from './metrics';
import { alertSummary, falseAlarmSummary } from './summary';
import { explain, topEvidence } from './explain';
import { activeMute, type ActiveMute } from '../alerting/mute';
import { falseAlarmMark, latestMark } from '../issues/marks';

export interface EvaluatorDeps {
  detectors: Registry<DetectorPlugin<any>>;
  alerts: AlertManager;
  issues: IssueStore;
  notify: { enqueue(alerts: AlertRecord[]): void };
  sampler?: ServingSampler;
  metrics: EvaluationMetrics;
  logger: Logger;
  links: { dashboard_url?: string; runbook_url?: string };
}

interface Judged {
  obs: Observation;
  result: DetectorResult;
}

/** HELD_OUT_LIMIT bounds the values kept per active alert for relearning after a false alarm. */
export const HELD_OUT_LIMIT = 1000;

/**
 * Evaluator is the check → alert stage: each observation goes through its series' detector, the
 * verdicts step the alert state machine, and each transition opens or resolves an issue and is
 * handed to the notifiers.
 *
 * Baseline hygiene: a series whose alert is pending or firing is judged but not learned from, so the
 * detector does not learn the incident as normal; the held-out values are kept (bounded) so that a
 * user's false-alarm mark can teach them after all. A muted check (a mute window) is judged and
 * exported but neither learned nor allowed to move its alerts. See docs/alerts.md.
 */
export class Evaluator {
  private readonly series = new Map<string, Detector>();
  /** fingerprint → values judged but not learned while its alert is active (for false alarms) */
  private readonly heldOut = new Map<string, Array<{ t: number; value: number }>>();
  /** fingerprint → the latest judgement while its alert is active (explains repeats and resolutions) */
  private readonly lastJudged = new Map<string, Judged>();
  private readonly muted = new Map<string, ActiveMute | undefined>();

  constructor(private readonly d: EvaluatorDeps) {}

  async evaluate(check: LoadedCheck, observations: Observation[], at: number, window?: { start: number; end: number }): Promise<AlertChange[]> {
    const { def } = check;
    const stop = this.d.metrics.duration.startTimer({ check: def.name });
    const mute = activeMute(def.mute ?? [], window?.start ?? at, window?.end ?? at + 1);
    this.noteMute(def.name, mute);
    // False-alarm marks made since the last evaluation (a user's explicit act, applied even while muted).
    const marked = this.applyFalseAlarms(check, at);
    const judged = new Map<string, Judged>();
    for (const obs of observations) if (obs.informational) this.exportInformational(def.name, cleanLabels(obs.labels), obs.value);
    const verdicts = observations.filter((obs) => !obs.informational).map((obs) => {
      const labels = cleanLabels(obs.labels);
      const fp = fingerprint(def.name, labels);
      const active = this.d.alerts.get(fp) !== undefined;
      const learn = !active && !mute;
      const result = this.detector(check, labels).observe(at, obs.value, { learn });
      if (active && !mute && Number.isFinite(obs.value)) this.holdOut(fp, at, obs.value);
      let breach = result.isAnomaly;
      // After a false alarm the same episode may not fire again: wait until the series is normal once.
      if (this.d.alerts.isSuppressed(fp)) {
        if (result.ready && !result.isAnomaly) this.d.alerts.endSuppression(fp);
        else breach = false;
      }
      judged.set(fp, { obs, result });
      if (active) this.lastJudged.set(fp, { obs, result });
      this.export(def.name, labels, obs.value, result);
      return { labels, value: obs.value, expected: result.expected, breach, unknown: !result.ready };
    });
    // While muted the alerts keep their state: nothing fires, resolves or notifies.
    const changes = [...marked, ...(mute ? [] : this.d.alerts.evaluate(def.name, ruleOf(check), verdicts, at))];
    // A false-alarm resolution is explained by the judgement behind the alert, not by this evaluation.
    for (const change of changes) await this.apply(check, change, marked.includes(change) ? undefined : judged.get(change.instance.fingerprint), at, window);
    // Status after the state machine moved: 0 ok, 1 pending, 2 firing, 3 muted, -1 learning.
    for (const v of verdicts) {
      const a = this.d.alerts.get(fingerprint(def.name, v.labels));
      const learning = !judged.get(fingerprint(def.name, v.labels))?.result.ready;
      const status = mute ? 3 : a?.phase === 'firing' ? 2 : a?.phase === 'pending' ? 1 : learning ? -1 : 0;
      this.d.metrics.status.set(seriesLabels(def.name, v.labels), status);
    }
    const active = this.d.alerts.active();
    this.d.metrics.alerts.set({ state: 'pending' }, active.filter((a) => a.phase === 'pending').length);
    this.d.metrics.alerts.set({ state: 'firing' }, active.filter((a) => a.phase === 'firing').length);
    this.d.metrics.evaluations.inc({ check: def.name });
    stop();
    return changes;
  }

  /**
   * applyFalseAlarms looks up the issues of the check's active alerts: one a user marked a false
   * alarm is resolved now (its notifiers get a resolved record), its series' detector learns the
   * values held out during the alert (they were normal after all), and the series may not fire
   * again until it has been judged normal once.
   */
  private applyFalseAlarms(check: LoadedCheck, at: number): AlertChange[] {
    const { def } = check;
    const changes: AlertChange[] = [];
    for (const a of this.d.alerts.active()) {
      if (a.check !== def.name || !a.issueId) continue;
      let issue: Issue;
      try {
        issue = this.d.issues.get(a.issueId);
      } catch (err) {
        this.d.logger.warn('cannot read the issue of an active alert', { issue: a.issueId, error: err });
        continue;
      }
      const mark = falseAlarmMark(issue);
      if (!mark) continue;
      const held = this.heldOut.get(a.fingerprint) ?? [];
      const det = this.detector(check, a.labels);
      for (const h of held) det.observe(h.t, h.value, { learn: true });
      this.heldOut.delete(a.fingerprint);
      const change = this.d.alerts.resolveFalseAlarm(a.fingerprint, at);
      if (!change) continue;
      this.d.metrics.falseAlarms.inc({ check: def.name });
      this.d.issues.update(issue.id, (i) => ({ ...i, false_alarm_applied: { at: new Date(at).toISOString(), relearned_values: held.length } }));
      this.d.logger.info('alert resolved as a false alarm; its held-out values are learned', { issue: issue.id, check: def.name, by: mark.by, relearned: held.length });
      changes.push(change);
    }
    return changes;
  }

  private holdOut(fp: string, t: number, value: number): void {
    let held = this.heldOut.get(fp);
    if (!held) this.heldOut.set(fp, (held = []));
    held.push({ t, value });
    if (held.length > HELD_OUT_LIMIT) held.shift();
  }

  private noteMute(check: string, mute: ActiveMute | undefined): void {
    const was = this.muted.get(check);
    this.muted.set(check, mute);
    this.d.metrics.muted.set({ check }, mute ? 1 : 0);
    if (mute && (!was || was.from !== mute.from)) {
      this.d.logger.info('check muted', { check, reason: mute.reason, from: new Date(mute.from).toISOString(), to: new Date(mute.to).toISOString() });
    } else if (!mute && was) this.d.logger.info('check unmuted', { check });
  }

  private async apply(check: LoadedCheck, change: AlertChange, judgedNow: Judged | undefined, at: number, window?: { start: number; end: number }) {
    const { def } = check;
    const a = change.instance;
    this.d.metrics.transitions.inc({ check: def.name, transition: change.transition });
    if (change.transition === 'pending' || change.transition === 'cleared') {
      this.d.logger.debug(`alert ${change.transition}`, { check: def.name, labels: a.labels });
      if (change.transition === 'cleared') this.forget(a.fingerprint);
      return;
    }
    const judged = judgedNow ?? this.lastJudged.get(a.fingerprint);
    const held = this.heldOut.get(a.fingerprint);
    const explanation = explain({
      value: a.value,
      expected: a.expected,
      detector: { kind: def.detector.kind, params: check.detectorParams },
      // after a restart the judgement behind an alert is gone; its issue still says how the band was built
      basis: judged?.result.basis ?? this.issueBaseline(a.issueId),
      heldOut: held?.length ? { since: held[0].t, values: held.length } : null,
    });
    const evidence = topEvidence(judged?.obs.evidence);
    let summary = alertSummary(def, a, judged?.obs, change.transition === 'resolved');
    let falseAlarm: { by: string; at: string; note?: string } | undefined;
    if (change.transition === 'fired') {
      const issue = this.openIssue(check, a, judged, summary, at, window, explanation);
      a.issueId = issue.id;
      this.d.alerts.setIssue(a.fingerprint, issue.id);
      this.d.metrics.issuesOpened.inc({ check: def.name });
    } else if (change.transition === 'resolved' && a.issueId) {
      const issue = this.d.issues.update(a.issueId, (i) => ({ ...i, status: i.status === 'false-alarm' ? 'false-alarm' : 'resolved', resolved_at: new Date(at).toISOString() }));
      const mark = issue.status === 'false-alarm' ? latestMark(issue) : undefined;
      if (mark) {
        falseAlarm = { by: mark.by, at: mark.at, ...(mark.note ? { note: mark.note } : {}) };
        summary = falseAlarmSummary(def.name, a.labels, mark);
      }
    }
    if (change.transition === 'resolved') this.forget(a.fingerprint);
    const diagnose = a.issueId ? this.diagnoseCommand(a.issueId) : undefined;
    this.d.notify.enqueue([
      {
        fingerprint: a.fingerprint,
        check: def.name,
        status: change.transition === 'resolved' ? 'resolved' : 'firing',
        severity: def.severity,
        labels: { ...def.labels, ...a.labels },
        value: a.value,
        expected: a.expected,
        summary,
        startsAt: new Date(a.activeAt).toISOString(),
        ...(a.resolvedAt !== undefined ? { endsAt: new Date(a.resolvedAt).toISOString() } : {}),
        issue_id: a.issueId ?? '',
        ...this.links(def),
        explanation,
        evidence,
        ...(diagnose ? { diagnose_command: diagnose } : {}),
        ...(falseAlarm ? { false_alarm: falseAlarm } : {}),
      },
    ]);
  }

  private issueBaseline(id: string | undefined): string {
    if (!id) return '';
    try {
      return this.d.issues.get(id).evidence.baseline;
    } catch {
      return '';
    }
  }

  private forget(fp: string): void {
    this.heldOut.delete(fp);
    this.lastJudged.delete(fp);
  }

  private diagnoseCommand(id: string): string {
    const stateDir = this.d.issues.stateDir;
    return `recsysops diagnose ${id}${resolve(stateDir) === resolve('.recsysops') ? '' : ` --state ${stateDir}`}`;
  }

  private openIssue(
    check: LoadedCheck,
    a: AlertChange['instance'],
    judged: Judged | undefined,
    summary: string,
    at: number,
    window: { start: number; end: number } | undefined,
    explanation: AlertExplanation,
  ): Issue {
    const { def } = check;
    const id = IssueStore.issueId(a.fingerprint, a.activeAt);
    // The breach began in the window that ended at activeAt; capture from its start to now.
    const windowMs = window ? window.end - window.start : 0;
    const failing = this.d.sampler?.between(a.activeAt - windowMs, at) ?? null;
    const reference = this.d.sampler?.referenceBefore(a.activeAt - windowMs, Math.max(windowMs, 1)) ?? null;
    const issue: Issue = {
      id,
      status: 'open',
      check: def.name,
      check_kind: def.kind,
      severity: def.severity,
      fingerprint: a.fingerprint,
      labels: { ...def.labels, ...a.labels },
      summary,
      opened_at: new Date(a.activeAt).toISOString(),
      evidence: {
        value: a.value,
        expected: a.expected,
        anomaly_score: judged?.result.score ?? 1,
        window: window ? { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() } : null,
        evaluated_at: new Date(at).toISOString(),
        detector: { kind: def.detector.kind, params: check.detectorParams },
        baseline: judged?.result.basis ?? '',
        details: judged?.obs.details ?? {},
        contributors: topEvidence(judged?.obs.evidence),
        baseline_excludes: explanation.baseline_excludes,
        explanation: explanation.text,
      },
      diagnose_command: this.diagnoseCommand(id),
      ...this.links(def),
      capture: { failing: summarizeCapture(failing), reference: summarizeCapture(reference) },
    };
    const health = { check: def.name, kind: def.kind, labels: issue.labels, value: a.value, expected: a.expected };
    this.d.issues.save(issue, { failing, reference, health });
    this.d.logger.info('issue opened', { issue: id, check: def.name, summary });
    return issue;
  }

  private links(def: LoadedCheck['def']): { dashboard_url?: string; runbook_url?: string } {
    const dashboard = expandLink(def.annotations.dashboard_url ?? this.d.links.dashboard_url, def);
    const runbook = expandLink(def.annotations.runbook_url ?? this.d.links.runbook_url, def);
    return { ...(dashboard ? { dashboard_url: dashboard } : {}), ...(runbook ? { runbook_url: runbook } : {}) };
  }

  private detector(check: LoadedCheck, labels: Record<string, string>): Detector {
    const key = `${check.def.name}|${labelsKey(labels)}`;
    let det = this.series.get(key);
    if (!det) {
      det = this.d.detectors.get(check.def.detector.kind).create(check.detectorParams);
      this.series.set(key, det);
    }
    return det;
  }

  /** exportInformational: the value alone; no score, band or alert (status 0). */
  private exportInformational(check: string, labels: Record<string, string>, value: number): void {
    const l = seriesLabels(check, labels);
    const m = this.d.metrics;
    m.value.set(l, value);
    m.score.set(l, 0);
    m.expectedLower.remove(l);
    m.expectedUpper.remove(l);
    m.status.set(l, 0);
  }

  private export(check: string, labels: Record<string, string>, value: number, r: DetectorResult): void {
    const l = seriesLabels(check, labels);
    const m = this.d.metrics;
    m.value.set(l, value);
    m.score.set(l, r.score);
    if (r.expected?.lower != null) m.expectedLower.set(l, r.expected.lower);
    else m.expectedLower.remove(l);
    if (r.expected?.upper != null) m.expectedUpper.set(l, r.expected.upper);
    else m.expectedUpper.remove(l);
  }
}

function ruleOf(check: LoadedCheck) {
  return { for: check.def.for, keepFiringForMs: check.def.keep_firing_for, repeatIntervalMs: check.def.repeat_interval };
}

function cleanLabels(labels: Observation['labels']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) out[k] = v;
  return out;
}

/** seriesLabels fills every series label, empty when the check does not have it (fixed label set). */
function seriesLabels(check: string, labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { check };
  for (const l of SERIES_LABELS) out[l] = labels[l] ?? '';
  return out;
}

/**
 * expandLink fills `{check}` (the check's name) and `{dashboard}` (the uid of the Grafana dashboard
 * that shows the check's kind) in a configured link, URL-encoded, so one `links.dashboard_url` such
 * as `http://grafana/d/{dashboard}?var-check={check}` opens the right panel for every alert.
 */
export function expandLink(url: string | undefined, def: { name: string; kind: string }): string | undefined {
  if (url === undefined) return undefined;
  return url.split('{check}').join(encodeURIComponent(def.name)).split('{dashboard}').join(dashboardUid(def.kind));
}
