import { promqlKind } from '../../../src/check-kinds/query/promql';
import { startPrometheus, waitUntil, type Started } from '../../stack/processes';
import { build, problems } from './harness';

jest.setTimeout(120_000);

let prom: Started;

beforeAll(async () => {
  // Prometheus scraping itself, its target labelled surface=home (as an upstream service's might be)
  prom = await startPrometheus(
    (port) => `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n        labels: {surface: home}\n`,
  );
  await waitUntil(
    'Prometheus has scraped itself',
    async () => {
      const r = (await (await fetch(`${prom.url}/api/v1/query?query=up`)).json()) as { data: { result: unknown[] } };
      return r.data.result.length ? true : undefined;
    },
    60_000,
    250,
  );
});
afterAll(() => prom?.stop());

describe('promql against a real Prometheus', () => {
  test('each vector element is one series; labels named like series labels are kept', async () => {
    const q = build(promqlKind, { url: prom.url, query: 'up' });
    expect(await q.check.evaluate(Date.now())).toEqual([{ labels: { surface: 'home' }, value: 1 }]);
  });

  test('series_labels renames a Prometheus label (version → model_version)', async () => {
    const q = build(promqlKind, { url: `${prom.url}/`, query: 'prometheus_build_info', series_labels: { model_version: 'version' } });
    const obs = await q.check.evaluate(Date.now());
    expect(obs).toHaveLength(1);
    expect(obs[0].labels.model_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(obs[0].value).toBe(1);
  });

  test('a scalar expression is one series without labels', async () => {
    const q = build(promqlKind, { url: prom.url, query: 'scalar(up) * 2 + 0.5' });
    expect(await q.check.evaluate(Date.now())).toEqual([{ labels: {}, value: 2.5 }]);
  });

  test('a bad expression, a range vector, an empty result, a wrong URL', async () => {
    const bad = build(promqlKind, { url: prom.url, query: 'sum(up' });
    expect(await bad.check.evaluate(Date.now())).toEqual([]);
    expect(await bad.errors()).toEqual({ bad_query: 1 });
    expect(bad.log.join('\n')).toMatch(/query failed \(bad_query\): Prometheus bad_data: .*parse error/);

    const range = build(promqlKind, { url: prom.url, query: 'up[1m]' });
    expect(await range.check.evaluate(Date.now())).toEqual([]);
    expect(await range.errors()).toEqual({ bad_result: 1 });
    expect(range.log.join('\n')).toContain('expected an instant vector or a scalar, got matrix');

    const empty = build(promqlKind, { url: prom.url, query: 'up{job="nothing"}' });
    expect(await empty.check.evaluate(Date.now())).toEqual([]);
    expect(await empty.check.evaluate(Date.now())).toEqual([]);
    expect(await empty.errors()).toEqual({});
    expect(empty.log.filter((l) => l.includes('the query returned no series'))).toHaveLength(1);

    const wrong = build(promqlKind, { url: `${prom.url}/not-prometheus`, query: 'up' });
    expect(await wrong.check.evaluate(Date.now())).toEqual([]);
    expect(await wrong.errors()).toEqual({ http_status: 1 });
  });
});

describe('promql definitions', () => {
  test('a URL and a query are required; compare_versions with a mapping needs model_version', () => {
    expect(problems(promqlKind, { query: 'up' })).toEqual([expect.stringMatching(/^url: /)]);
    expect(problems(promqlKind, { url: 'http://p:9090', query: 'up', series_labels: { surface: 'svc' }, compare_versions: {} })).toEqual([
      expect.stringMatching(/^series_labels: compare_versions needs model_version/),
    ]);
  });
});
