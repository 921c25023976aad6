import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoScore } from '../../src/demo/model';
import { startModelServer, type ModelServer } from '../../src/demo/model-server';
import { ModelError } from '../../src/errors';
import { createKserveV2ModelAdapter, kserveInferUrl } from '../../src/model/kserve-v2';
import { capturedRequests, noSleep } from './fixtures';

const requests = capturedRequests(70);

describe('KServe v2 adapter against the demo model server', () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startModelServer({ score: demoScore, modelName: 'ranker' });
  });
  afterAll(() => server.close());

  test('returns the scores demoScore gives, in batches, over /v2/models/{name}/versions/{version}/infer', async () => {
    const before = server.stats.calls;
    const adapter = createKserveV2ModelAdapter({ url: server.url, model: 'ranker', batchSize: 32 });
    expect(await adapter.score(requests, 'v2')).toEqual(demoScore(requests, 'v2'));
    expect(server.stats.calls - before).toBe(3);
    expect(server.stats.paths[server.stats.paths.length - 1]).toBe('/v2/models/ranker/versions/v2/infer');
  });

  test('a full infer URL with {version} is used as given', async () => {
    const adapter = createKserveV2ModelAdapter({ url: `${server.url}/v2/models/ranker/versions/{version}/infer`, model: 'ignored' });
    expect(await adapter.score(requests.slice(0, 4), 'v1')).toEqual(demoScore(requests.slice(0, 4), 'v1'));
    expect(kserveInferUrl('http://h:8080/', 'm x', 'v1')).toBe('http://h:8080/v2/models/m%20x/versions/v1/infer');
  });

  test('an unknown model name is a non-retriable ModelError', async () => {
    const adapter = createKserveV2ModelAdapter({ url: server.url, model: 'other', sleep: noSleep });
    const err = (await adapter.score(requests.slice(0, 1), 'v1').catch((e) => e)) as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.message).toMatch(/answered HTTP 404: model "other" not found/);
    expect(err.retriable).toBe(false);
  });

  test('a non-v2 endpoint is reported as such', async () => {
    const other = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const adapter = createKserveV2ModelAdapter({ url, model: 'x' });
      const err = (await adapter.score(requests.slice(0, 1), 'v1').catch((e) => e)) as ModelError;
      expect(err.message).toMatch(/answered an invalid response: no "outputs" array/);
      expect(err.retriable).toBe(false);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});
