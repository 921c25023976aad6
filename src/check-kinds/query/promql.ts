import { z } from 'zod';
import { SERIES_LABELS, commonCheckFields, type CheckKind } from '../kind';
import { QueryError } from './failure';
import { httpFields, labelSources, queryFields, seriesLabelsSchema, type QueryCheckDefinition } from './fields';
import { httpRequest, parseJson, requestHeaders, statusError } from './http-request';
import { scheduledQueryCheck } from './scheduled-query';
import { toOrder, toValue, type QueryRow } from './row';

const schema = z
  .strictObject({
    ...commonCheckFields,
    ...queryFields,
    ...httpFields,
    kind: z.literal('promql'),
    /** the Prometheus (or compatible: Thanos, Mimir, VictoriaMetrics) base URL, e.g. http://prometheus:9090 */
    url: z.string().url(),
    /** an instant query; each element of the vector it returns is one series */
    query: z.string().min(1, 'expected a PromQL expression'),
    /**
     * series label → Prometheus label. Absent: every Prometheus label named like a series label
     * (surface, model_version, cohort…) is kept, the others dropped.
     */
    series_labels: seriesLabelsSchema.unwrap().optional(),
  })
  .refine((d) => d.compare_versions === undefined || d.series_labels === undefined || labelSources(d.series_labels).some(([l]) => l === 'model_version'), {
    message: 'compare_versions needs model_version in series_labels (the Prometheus label naming the model version)',
    path: ['series_labels'],
  });
export type PromqlDefinition = z.infer<typeof schema> & QueryCheckDefinition;

interface PromAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

/**
 * promRows maps a /api/v1/query answer to rows: a vector gives one row per element, its metric
 * labels mapped onto series labels; a scalar gives one row without labels.
 */
export function promRows(answer: PromAnswer, def: Pick<PromqlDefinition, 'series_labels' | 'compare_versions'>): { rows: QueryRow[]; notes: string[] } {
  const notes = (answer.warnings ?? []).map((w) => `Prometheus warns: ${w}`);
  const data = answer.data;
  if (data?.resultType === 'scalar' && Array.isArray(data.result)) {
    return { rows: [{ labels: {}, value: toValue(data.result[1], 'the scalar result'), origin: 'the scalar result' }], notes };
  }
  if (data?.resultType !== 'vector' || !Array.isArray(data.result)) {
    throw new QueryError('bad_result', `expected an instant vector or a scalar, got ${data?.resultType ?? 'no data'} (a range selector such as [5m] needs a function around it, e.g. rate(…[5m]))`);
  }
  if (!data.result.length) notes.push('the query returned no series');
  const mapping: Array<[string, string]> = def.series_labels ? labelSources(def.series_labels) : SERIES_LABELS.map((l) => [l, l]);
  const orderBy = def.compare_versions?.order_by;
  const rows = (data.result as Array<{ metric?: Record<string, string>; value?: [number, string] }>).map((el) => {
    const metric = el.metric ?? {};
    const origin = `{${Object.entries(metric)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}}`;
    const labels: QueryRow['labels'] = {};
    for (const [label, prom] of mapping) if (metric[prom] !== undefined) labels[label as keyof QueryRow['labels']] = metric[prom];
    return {
      labels,
      value: toValue(el.value?.[1], `series ${origin}`),
      origin: `series ${origin}`,
      ...(orderBy ? { order: toOrder(numericOrText(metric[orderBy]), `series ${origin}, label ${orderBy}`) } : {}),
    };
  });
  return { rows, notes };
}

function numericOrText(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  return v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
}

/** promError: the error for a Prometheus error answer (a bad expression, a query timeout). */
function promError(answer: PromAnswer): QueryError {
  const message = `Prometheus ${answer.errorType ?? 'error'}: ${answer.error ?? '(no message)'}`;
  if (answer.errorType === 'bad_data') return new QueryError('bad_query', message);
  if (answer.errorType === 'timeout' || answer.errorType === 'canceled') return new QueryError('timeout', message);
  return new QueryError('other', message);
}

/**
 * promql: an instant query against a Prometheus HTTP API on a cron schedule (upstream services'
 * metrics, the training pipeline's exporters); each element of the result vector is one series.
 */
export const promqlKind: CheckKind<PromqlDefinition> = {
  kind: 'promql',
  description: 'an instant PromQL query on a cron schedule; each vector element one series, its labels mapped onto series labels',
  mode: 'scheduled',
  schema: schema as unknown as z.ZodType<PromqlDefinition>,
  create(def, deps) {
    const env = deps.env ?? process.env;
    const endpoint = `${def.url.replace(/\/+$/, '')}/api/v1/query`;
    return scheduledQueryCheck(def, deps, {
      async run() {
        const headers = requestHeaders(def, env, deps.logger);
        headers['content-type'] = 'application/x-www-form-urlencoded';
        // POST keeps long expressions out of URLs (and access logs); Prometheus stops at `timeout` too
        const body = new URLSearchParams({ query: def.query, timeout: `${Math.max(1, Math.floor(def.timeout / 1000))}s` }).toString();
        const answer = await httpRequest(endpoint, { method: 'POST', headers, body, timeoutMs: def.timeout });
        let parsed: PromAnswer;
        try {
          parsed = parseJson(endpoint, answer) as PromAnswer;
        } catch (err) {
          if (answer.status < 200 || answer.status >= 300) throw statusError(endpoint, answer);
          throw err;
        }
        if (parsed?.status === 'error') throw promError(parsed);
        if (answer.status < 200 || answer.status >= 300) throw statusError(endpoint, answer);
        return promRows(parsed, def);
      },
    });
  },
};
