import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry as PromRegistry } from 'prom-client';
import { loadAll } from '../../daemon';
import { DemoWorld } from '../../demo/world';
import { assemblePipeline } from '../../pipeline';
import type { Plugins } from '../../plugins';
import type { RawRecord } from '../../sources/source';
import type { Logger } from '../../telemetry/logger';
import type { LoadedCheck } from '../../config/load-checks';
import type { Corpus } from './corpus';
import type { FiredAlert } from './score';
import type { Observation } from '../../check-kinds/kind';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** simulated time generated and pushed at once: small, so weeks of events are never in memory */
const STEP_MS = MIN;

export interface RunOptions {
  corpus: Corpus;
  checksDir: string;
  plugins: Plugins;
  logger: Logger;
  /** how often scheduled checks are evaluated, in simulated ms */
  scheduledEveryMs: number;
  /** called after each simulated day */
  onDay?: (p: { day: number; days: number; events: number; alerts: number }) => void;
  /** called with every evaluation's observations (for --trace: tune detectors offline on the values) */
  onEvaluate?: (e: { check: string; at: number; window?: { start: number; end: number }; observations: Observation[] }) => void;
}

export interface RunResult {
  checks: LoadedCheck[];
  alerts: FiredAlert[];
  /** every resolution, for --dump: when an alert that could detect the next fault was free again */
  resolved: FiredAlert[];
  events: number;
}

/**
 * runCorpus streams the corpus world through the same pipeline as `recsysops replay`
 * (assemblePipeline with the checks of a directory), driven as the daemon drives a live source:
 * a simulated clock at the newest pushed time closes idle windows `idle_close_after` after their end
 * (so a stall is judged while it lasts) and evaluates scheduled checks every `scheduledEveryMs`.
 * Every `fired` transition is recorded with the evaluation time at which it fired.
 */
export async function runCorpus(o: RunOptions): Promise<RunResult> {
  const { corpus } = o;
  const c = corpus.config;
  const { config, checks } = loadAll({ checksDir: o.checksDir, plugins: o.plugins });
  const stateDir = mkdtempSync(join(tmpdir(), 'recsysops-bench-detect-'));
  let now = corpus.startTime;
  try {
    const pipeline = assemblePipeline({ checks, config, plugins: o.plugins, notifiers: [], stateDir, registry: new PromRegistry(), logger: o.logger, clock: () => now });
    const alerts: FiredAlert[] = [];
    const resolved: FiredAlert[] = [];
    const evaluate = pipeline.evaluator.evaluate.bind(pipeline.evaluator);
    // The engine calls evaluator.evaluate for every closed window: wrap it to see the transitions.
    pipeline.evaluator.evaluate = async (check, observations, at, window) => {
      o.onEvaluate?.({ check: check.def.name, at, ...(window ? { window } : {}), observations });
      const changes = await evaluate(check, observations, at, window);
      for (const ch of changes) {
        if (ch.transition === 'fired') alerts.push({ check: check.def.name, at, labels: ch.instance.labels });
        if (ch.transition === 'resolved') resolved.push({ check: check.def.name, at, labels: ch.instance.labels });
      }
      return changes;
    };
    const world = new DemoWorld({
      seed: c.world_seed,
      startTime: corpus.startTime,
      faults: corpus.schedule,
      requestsPerMinute: c.requests_per_minute,
      usersCount: c.users,
      itemsCount: c.items,
      weeklyRhythm: c.weekly_rhythm,
      realClock: () => 0,
    });
    const idle = config.pipeline.idle_close_after;
    let events = 0;
    let nextScheduled = corpus.startTime + o.scheduledEveryMs;
    const days = Math.ceil((corpus.endTime - corpus.startTime) / DAY);
    for (let t = corpus.startTime; t < corpus.endTime; t += STEP_MS) {
      const to = Math.min(t + STEP_MS, corpus.endTime);
      const batch: RawRecord[] = world.step(t, to).map((payload) => ({ payload, origin: 'bench' }));
      now = to;
      if (batch.length) await pipeline.engine.push(batch);
      events += batch.length;
      await pipeline.engine.advanceTo(now - idle);
      for (; nextScheduled <= now; nextScheduled += o.scheduledEveryMs) {
        for (const { check, runtime } of pipeline.scheduled) await pipeline.evaluator.evaluate(check, await runtime.evaluate(nextScheduled), nextScheduled);
      }
      if ((to - corpus.startTime) % DAY === 0) o.onDay?.({ day: (to - corpus.startTime) / DAY, days, events, alerts: alerts.length });
    }
    await pipeline.engine.flush();
    await pipeline.notify.close();
    return { checks, alerts, resolved, events };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
