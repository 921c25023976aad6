import { z } from 'zod';
import { commonCheckFields, type CheckKind } from '../kind';
import { QueryError } from './failure';
import { httpFields, labelSources, needsModelVersion, needsModelVersionIssue, queryFields, seriesLabelsSchema, type QueryCheckDefinition } from './fields';
import { httpRequest, parseJson, requestHeaders, statusError } from './http-request';
import { parsePath, select, type PathStep } from './json-path';
import { scheduledQueryCheck } from './scheduled-query';
import { toLabel, toOrder, toValue, type QueryRow } from './row';

/** a path field: validated when the check loads, so a typo is a config problem with its line */
const pathSchema = z.string().superRefine((p, ctx) => {
  try {
    parsePath(p);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${(err as Error).message}; expected a path such as data.metrics[*].ndcg_at_10` });
  }
});

const schema = z
  .strictObject({
    ...commonCheckFields,
    ...queryFields,
    ...httpFields,
    kind: z.literal('http-json'),
    url: z.string().url(),
    method: z.enum(['GET', 'POST']).default('GET'),
    /** sent as JSON with POST */
    body: z.unknown().optional(),
    /** where the value(s) are: each match is one series, e.g. data.metrics[*].ndcg_at_10 */
    value: pathSchema,
    /** series label → path of a field next to the value (in the same object), e.g. {model_version: version} */
    series_labels: seriesLabelsSchema,
  })
  .refine((d) => d.body === undefined || d.method === 'POST', { message: 'a body is only sent with method: POST', path: ['body'] })
  .refine(needsModelVersion, needsModelVersionIssue)
  .superRefine((d, ctx) => {
    for (const [label, path] of labelSources(d.series_labels)) {
      try {
        parsePath(path);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['series_labels', label], message: (err as Error).message });
      }
    }
  });
export type HttpJsonDefinition = z.infer<typeof schema> & QueryCheckDefinition;

/**
 * jsonRows: each match of the value path is one row; its labels (and compare_versions.order_by)
 * are read from fields next to it, in the object that holds the value.
 */
export function jsonRows(doc: unknown, def: Pick<HttpJsonDefinition, 'value' | 'series_labels' | 'compare_versions'>): QueryRow[] {
  const { matches, missing } = select(doc, parsePath(def.value));
  if (!matches.length) throw new QueryError('path_not_found', `value path ${def.value} matched nothing: ${missing} is not in the answer`);
  const labelPaths = labelSources(def.series_labels).map(([label, path]) => [label, path, parsePath(path)] as const);
  const orderBy = def.compare_versions?.order_by;
  const orderPath: PathStep[] | undefined = orderBy ? parsePath(orderBy) : undefined;
  const sibling = (parent: unknown, steps: PathStep[], path: string, at: string, what: string): unknown => {
    const found = select(parent, steps);
    if (!found.matches.length) throw new QueryError('path_not_found', `${what}: no field ${path} next to the value at ${at}`);
    return found.matches[0].value;
  };
  return matches.map((m) => {
    const labels: QueryRow['labels'] = {};
    for (const [label, path, steps] of labelPaths) labels[label] = toLabel(sibling(m.parent, steps, path, m.at, `series label ${label}`));
    return {
      labels,
      value: toValue(m.value, m.at),
      origin: m.at,
      ...(orderPath ? { order: toOrder(sibling(m.parent, orderPath, orderBy!, m.at, 'compare_versions.order_by'), m.at) } : {}),
    };
  });
}

/**
 * http-json: a JSON endpoint (a training pipeline's metrics, a feature store's status) fetched on
 * a cron schedule; each value the path matches is one series.
 */
export const httpJsonKind: CheckKind<HttpJsonDefinition> = {
  kind: 'http-json',
  description: 'a JSON endpoint fetched on a cron schedule; values picked by a path, labels from fields next to them',
  mode: 'scheduled',
  schema: schema as unknown as z.ZodType<HttpJsonDefinition>,
  create(def, deps) {
    const env = deps.env ?? process.env;
    return scheduledQueryCheck(def, deps, {
      async run() {
        const headers = requestHeaders(def, env, deps.logger);
        const body = def.body === undefined ? undefined : JSON.stringify(def.body);
        if (body !== undefined) headers['content-type'] = 'application/json';
        const answer = await httpRequest(def.url, { method: def.method, headers, body, timeoutMs: def.timeout });
        if (answer.status < 200 || answer.status >= 300) throw statusError(def.url, answer);
        return { rows: jsonRows(parseJson(def.url, answer), def) };
      },
    });
  },
};
