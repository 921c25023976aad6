import { z } from 'zod';
import { durationSchema, formatDuration } from '../config/duration';
import { ServingSampler } from '../capture/serving-sampler';
import { quantileBand, type QuantileBand } from '../cold-start/band';
import { itemFeatures, predictedRanks, SlateSize } from '../cold-start/forecast';
import type { Features } from '../events/contract';
import type { ModelAdapter } from '../model/protocol';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type EvidenceItem } from './kind';

const HOUR = 3_600_000;

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('launch-forecast'),
  /** recent serving requests (users, contexts, candidate lists) the new item is scored for */
  sample_requests: z.number().int().min(1).max(5_000).default(200),
  /** how far back the sampled requests reach */
  lookback: durationSchema.default(2 * HOUR),
  /** a forecast waits until at least this many requests were sampled */
  min_requests: z.number().int().min(1).default(50),
  /** items shown per slate; learned from impression positions when absent */
  slate_size: z.number().int().min(1).optional(),
  /** warn when the item would miss the slate for at least this share of the sampled requests… */
  min_miss_share: z.number().gt(0).max(1).default(0.9),
  /** …and that share is this far above the band of comparable past launches */
  margin: z.number().min(0).max(1).default(0.1),
  /** past forecasts needed before warning (quiet until then) */
  min_launches: z.number().int().min(2).default(5),
  /** compare with all past launches when the item's cohort has too few */
  pool_cohorts: z.boolean().default(true),
  /** the band of past launches: this quantile and 1 − it of their miss shares */
  band_quantile: z.number().gt(0).lt(0.5).default(0.1),
  /** past forecasts kept as the reference */
  history: z.number().int().min(2).default(500),
  /** announced items waiting for their launch, at most */
  max_items: z.number().int().positive().default(1_000),
  /** a failing model call is retried at the next windows, this many times in all */
  attempts: z.number().int().min(1).default(3),
  list_items: z.number().int().positive().default(10),
});
export type LaunchForecastDefinition = z.infer<typeof schema> & CheckDefinition;

interface Announced {
  id: string;
  cohort: string;
  launchTs: number;
  announcedAt: number;
  features?: Features;
  attempts: number;
  running: boolean;
}

interface Forecast {
  item_id: string;
  cohort: string;
  launch_ts: number;
  requests: number;
  slate_size: number;
  /** share of sampled requests where the item's predicted rank is below the slate */
  miss_share: number;
  median_rank: number;
  candidates: number;
  band?: QuantileBand;
  compared_with?: string;
  warn: boolean;
}

/**
 * launch-forecast predicts, before an announced launch (an `item` event whose launch_ts is still
 * ahead), whether the model will show the new item at all: it scores the item among the candidates
 * of recent serving requests with the configured model (recsysops.yaml `model:`, as diagnose uses)
 * and warns when the item would miss the slate for most users while comparable past launches did
 * not. The item's model features come from the item event's `attributes.features`.
 */
export const launchForecastKind: CheckKind<LaunchForecastDefinition> = {
  kind: 'launch-forecast',
  description: 'announced items the model is predicted never to show, before they launch',
  mode: 'streaming',
  schema: schema as unknown as z.ZodType<LaunchForecastDefinition>,
  create(def, deps) {
    const quarter = Math.max(1, Math.floor(def.lookback / 4));
    const sampler = new ServingSampler({ sampleSize: Math.ceil(def.sample_requests / 4), windowMs: quarter, windows: 5, maxIssueEvents: def.sample_requests });
    const slate = new SlateSize();
    const announced = new Map<string, Announced>();
    const finished: Array<{ item: Announced; ranks?: Array<{ rank: number; of: number }>; error?: Error; requests: number }> = [];
    const upcoming = new Map<string, Forecast>();
    const past: Array<{ cohort: string; miss: number }> = [];
    let model: ModelAdapter | undefined;
    let noModelLogged = false;
    let noFeaturesLogged = false;

    const getModel = (): ModelAdapter | undefined => {
      if (model) return model;
      try {
        model = deps.model?.();
      } catch (err) {
        deps.logger.error('launch-forecast: cannot create the model adapter of recsysops.yaml', { error: err });
      }
      if (!model && !noModelLogged) {
        noModelLogged = true;
        deps.logger.warn('launch-forecast needs a model: set model: in recsysops.yaml (as for diagnose); no forecast until then');
      }
      return model;
    };

    const start = (item: Announced, m: ModelAdapter, we: number) => {
      const seen = new Set<string>();
      const sample = (sampler.between(we - def.lookback, we)?.events ?? []).filter((s) => !seen.has(s.request_id) && seen.add(s.request_id));
      if (sample.length < def.min_requests || (def.slate_size === undefined && slate.learned() === undefined)) return;
      item.running = true;
      item.attempts++;
      predictedRanks(m, sample, item.id, item.features!).then(
        (ranks) => finished.push({ item, ranks, requests: sample.length }),
        (error: Error) => finished.push({ item, error, requests: sample.length }),
      );
    };

    const judge = (item: Announced, ranks: Array<{ rank: number; of: number }>): Forecast => {
      const size = def.slate_size ?? slate.learned() ?? Infinity;
      const miss = ranks.filter((r) => r.rank > size).length / ranks.length;
      const sortedRanks = ranks.map((r) => r.rank).sort((a, b) => a - b);
      const refs = (label: string, list: typeof past) => (list.length >= def.min_launches ? { band: quantileBand(list.map((p) => p.miss), def.band_quantile), label } : undefined);
      const ref = refs('cohort', past.filter((p) => p.cohort === item.cohort)) ?? (def.pool_cohorts ? refs('all', past) : undefined);
      const warn = ref !== undefined && miss >= def.min_miss_share && miss > ref.band.high + def.margin;
      past.push({ cohort: item.cohort, miss });
      if (past.length > def.history) past.shift();
      return {
        item_id: item.id,
        cohort: item.cohort,
        launch_ts: item.launchTs,
        requests: ranks.length,
        slate_size: size,
        miss_share: miss,
        median_rank: sortedRanks[Math.floor((sortedRanks.length - 1) / 2)],
        candidates: Math.max(...ranks.map((r) => r.of)),
        band: ref?.band,
        compared_with: ref?.label,
        warn,
      };
    };

    return {
      mode: 'streaming',
      eventTypes: ['item', 'serving', 'impression'],
      windowMs: def.window,
      add(_ws, e) {
        if (e.type === 'serving') sampler.add(e);
        else if (e.type === 'impression') slate.see(e.position);
        else if (e.type === 'item' && e.launch_ts >= e.ts) {
          // an announcement (or a launch now): forecast it before it launches; one launching now
          // is forecast too, as a comparable past launch for the next ones
          announced.set(e.item_id, { id: e.item_id, cohort: e.cohort ?? '', launchTs: e.launch_ts, announcedAt: e.ts, features: itemFeatures(e.attributes), attempts: 0, running: false });
          upcoming.delete(e.item_id);
          if (announced.size > def.max_items) announced.delete(announced.keys().next().value as string);
        }
      },
      close(_ws, we) {
        // 1. forecasts the model has answered since the last window
        for (const f of finished.splice(0)) {
          f.item.running = false;
          if (announced.get(f.item.id) !== f.item) continue; // re-announced meanwhile
          if (f.error) {
            deps.logger.warn('launch-forecast: the model could not score the sampled requests', { item: f.item.id, attempt: f.item.attempts, error: f.error });
            if (f.item.attempts >= def.attempts) announced.delete(f.item.id);
            continue;
          }
          announced.delete(f.item.id);
          const forecast = judge(f.item, f.ranks!);
          deps.logger.debug('launch-forecast', { item: forecast.item_id, miss_share: forecast.miss_share, median_rank: forecast.median_rank, warn: forecast.warn });
          if (forecast.launch_ts > we) upcoming.set(f.item.id, forecast);
          if (upcoming.size > def.max_items) upcoming.delete(upcoming.keys().next().value as string);
        }
        // 2. launched items leave the forecast (the launch curves judge them from now); one that
        // could not be forecast within `lookback` of its launch is dropped
        for (const [id, a] of announced) if (a.launchTs <= we - def.lookback && !a.running) announced.delete(id);
        for (const [id, f] of upcoming) if (f.launch_ts <= we) upcoming.delete(id);
        // 3. start the forecasts that can run now
        let unforecastable = 0;
        const waiting = [...announced.values()].filter((a) => !a.running);
        if (waiting.some((a) => !a.features)) {
          unforecastable = waiting.filter((a) => !a.features).length;
          if (!noFeaturesLogged) {
            noFeaturesLogged = true;
            deps.logger.info('launch-forecast: announced items without attributes.features cannot be forecast (see docs/cold-start.md)', { item: waiting.find((a) => !a.features)!.id });
          }
        }
        const m = waiting.length ? getModel() : model;
        if (m) for (const a of waiting) if (a.features) start(a, m, we);
        if (!m && !upcoming.size) return [];

        const warned = [...upcoming.values()].filter((f) => f.warn).sort((a, b) => b.miss_share - a.miss_share || a.launch_ts - b.launch_ts || (a.item_id < b.item_id ? -1 : 1));
        const named = warned.slice(0, def.list_items);
        const more = warned.length > named.length ? ` and ${warned.length - named.length} more` : '';
        const evidence: EvidenceItem[] = named.map((f) => ({
          name: `item=${f.item_id}`,
          value: f.miss_share,
          reference: f.band?.median ?? null,
          note:
            `predicted below the top ${f.slate_size} for ${pctOf(f.miss_share)} of ${f.requests} sampled requests (median rank ${f.median_rank} of ${f.candidates}); ` +
            `${f.compared_with === 'cohort' ? `cohort ${f.cohort || '(none)'}` : 'past launches'}: ${pctOf(f.band!.median)} (p${Math.round((1 - def.band_quantile) * 100)} ${pctOf(f.band!.high)}, ${f.band!.n} launches); launches ${new Date(f.launch_ts).toISOString()}`,
        }));
        return [
          {
            labels: {},
            value: warned.length,
            details: {
              forecasts: [...upcoming.values()].slice(0, def.list_items * 5).map((f) => ({ ...f, launch_ts: new Date(f.launch_ts).toISOString(), band: f.band ? [f.band.low, f.band.high] : undefined })),
              awaiting_forecast: announced.size,
              unforecastable,
              past_launches: past.length,
            },
            evidence,
            summary: warned.length
              ? `${warned.length} announced item(s) predicted to get no exposure at launch: ${named.map((f) => `${f.item_id} (below the top ${f.slate_size} for ${pctOf(f.miss_share)} of users, launches in ${formatDuration(Math.max(0, Math.round((f.launch_ts - we) / 60_000)) * 60_000)})`).join(', ')}${more}`
              : undefined,
          },
        ];
      },
    };
  },
};

function pctOf(x: number): string {
  return `${Math.round(x * 100)}%`;
}
