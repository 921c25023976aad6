import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoScore } from '../../src/demo/model';
import { startModelServer, type ModelServer } from '../../src/demo/model-server';
import { ModelError } from '../../src/errors';
import { createHttpModelAdapter } from '../../src/model/http';
import { capturedRequests, noSleep } from './fixtures';

const requests = capturedRequests(150);

/** a port nothing listens on: bound once, then released */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function errorOf(p: Promise<unknown>): Promise<ModelError> {
  try {
    await p;
  } catch (e) {
    return e as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('HTTP model adapter against the demo model server', () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({ score: demoScore });
  });
  afterEach(() => server.close());

  test('returns exactly the scores demoScore gives, in request order', async () => {
    const adapter = createHttpModelAdapter({ url: `${server.url}/score` });
    expect(await adapter.score(requests, 'v1')).toEqual(demoScore(requests, 'v1'));
  });

  test('batches: the server sees ceil(n / batchSize) calls; progress is reported; concurrency is capped', async () => {
    await server.close();
    server = await startModelServer({ score: demoScore, delayMs: 20 });
    const progress: Array<[number, number]> = [];
    const adapter = createHttpModelAdapter({ url: `${server.url}/score`, batchSize: 16, concurrency: 3, onProgress: (d, t) => progress.push([d, t]) });
    const got = await adapter.score(requests, 'v1.1');
    expect(got).toEqual(demoScore(requests, 'v1.1'));
    expect(server.stats.calls).toBe(Math.ceil(150 / 16));
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.stats.maxInFlight).toBeGreaterThan(1);
    expect(progress).toHaveLength(10);
    expect(progress[progress.length - 1]).toEqual([150, 150]);
  });

  test('{version} in the URL is filled in', async () => {
    const adapter = createHttpModelAdapter({ url: `${server.url}/models/{version}/score` });
    expect(await adapter.score(requests.slice(0, 5), 'v2')).toEqual(demoScore(requests.slice(0, 5), 'v2'));
    expect(server.stats.paths).toEqual(['/models/v2/score']);
  });

  test('a 500 followed by a 200 is retried and succeeds', async () => {
    await server.close();
    server = await startModelServer({ score: demoScore, failFirst: 1 });
    const adapter = createHttpModelAdapter({ url: `${server.url}/score`, sleep: noSleep });
    expect(await adapter.score(requests.slice(0, 10), 'v1')).toEqual(demoScore(requests.slice(0, 10), 'v1'));
    expect(server.stats.calls).toBe(2);
  });

  test('a persistent 5xx gives up after 1 + retries attempts, still marked retriable', async () => {
    await server.close();
    server = await startModelServer({ score: demoScore, failRate: 1 });
    const adapter = createHttpModelAdapter({ url: `${server.url}/score`, retries: 2, sleep: noSleep });
    const err = await errorOf(adapter.score(requests.slice(0, 10), 'v1'));
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/answered HTTP 500: injected failure \(gave up after 3 attempts\)/);
    expect(err.retriable).toBe(true);
    expect(server.stats.calls).toBe(3);
  });

  test('a 4xx is not retried: the same request would be refused again', async () => {
    const adapter = createHttpModelAdapter({ url: `${server.url}/score`, sleep: noSleep });
    const err = await errorOf(adapter.score(requests.slice(0, 3), 'v9'));
    expect(err.message).toContain(`model endpoint ${server.url}/score answered HTTP 422: demo model has no version "v9"`);
    expect(err.retriable).toBe(false);
    expect(server.stats.calls).toBe(1);
  });

  test('an answer with the wrong shape is a non-retriable ModelError', async () => {
    await server.close();
    server = await startModelServer({ score: (reqs) => reqs.map((r) => ({ request_id: r.request_id, scores: [1] })) });
    const adapter = createHttpModelAdapter({ url: `${server.url}/score`, sleep: noSleep });
    const err = await errorOf(adapter.score(requests.slice(0, 2), 'v1'));
    expect(err.message).toMatch(/answered an invalid response: ".+" has 1 scores for 20 candidates/);
    expect(err.retriable).toBe(false);
    expect(server.stats.calls).toBe(1);
  });

  test('a slow endpoint times out', async () => {
    await server.close();
    server = await startModelServer({ score: demoScore, delayMs: 500 });
    const adapter = createHttpModelAdapter({ url: `${server.url}/score`, timeoutMs: 50, retries: 0 });
    const err = await errorOf(adapter.score(requests.slice(0, 1), 'v1'));
    expect(err.message).toBe(`model endpoint ${server.url}/score did not answer within 50ms`);
    expect(err.retriable).toBe(true);
  });
});

test('an unreachable endpoint gives a ModelError naming the URL, retriable', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/score`;
  const adapter = createHttpModelAdapter({ url, retries: 1, sleep: noSleep });
  const err = await errorOf(adapter.score(requests.slice(0, 1), 'v1'));
  expect(err).toBeInstanceOf(ModelError);
  expect(err.code).toBe('RSO_ERR_MODEL_UNAVAILABLE');
  expect(err.message).toContain(`model endpoint ${url} unreachable: connect ECONNREFUSED`);
  expect(err.message).toContain('gave up after 2 attempts');
  expect(err.retriable).toBe(true);
});

test('credentials in the URL become Basic auth and never appear in error messages', async () => {
  let auth: string | undefined;
  const s = createServer((req, res) => {
    auth = req.headers.authorization;
    res.statusCode = 503;
    res.end('{"error":"warming up"}');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  const e1 = await errorOf(createHttpModelAdapter({ url: `http://user:s3cret@127.0.0.1:${port}/score`, retries: 0 }).score(requests.slice(0, 1), 'v1'));
  await new Promise<void>((r) => s.close(() => r()));
  expect(auth).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
  expect(e1.message).toBe(`model endpoint http://127.0.0.1:${port}/score answered HTTP 503: warming up`);

  const url = `http://user:s3cret@127.0.0.1:${await closedPort()}/score?token=abc`;
  const err = await errorOf(createHttpModelAdapter({ url, retries: 0 }).score(requests.slice(0, 1), 'v1'));
  expect(err.message).not.toMatch(/s3cret|abc/);
});
