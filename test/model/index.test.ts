import { builtinModelAdapters } from '../../src/model';
import { UnknownKindError } from '../../src/errors';
import { demoScore } from '../../src/demo/model';
import { capturedRequests } from './fixtures';

describe('builtinModelAdapters', () => {
  const registry = builtinModelAdapters();

  test('lists http, kserve-v2 and module, each with a schema and a description', () => {
    expect(registry.kinds()).toEqual(['http', 'kserve-v2', 'module']);
    for (const p of registry.all()) {
      expect(p.description.length).toBeGreaterThan(10);
      expect(typeof p.schema.safeParse).toBe('function');
    }
    expect(() => registry.get('grpc')).toThrow(UnknownKindError);
    expect(() => registry.get('grpc')).toThrow(/available: http, kserve-v2, module/);
  });

  test('schemas fill defaults and refuse mistakes', () => {
    expect(registry.get('http').schema.parse({ url: 'http://m:8080/models/{version}/score' })).toEqual({
      url: 'http://m:8080/models/{version}/score', batch_size: 64, concurrency: 4, timeout_ms: 10_000, retries: 2,
    });
    expect(registry.get('http').schema.safeParse({ url: 'ftp://x' }).success).toBe(false);
    expect(registry.get('http').schema.safeParse({ url: 'http://x', batchsize: 3 }).success).toBe(false);
    expect(registry.get('kserve-v2').schema.safeParse({ url: 'http://x' }).success).toBe(false);
    expect(registry.get('kserve-v2').schema.parse({ url: 'http://x', model: 'ranker' })).toMatchObject({ model: 'ranker', retries: 2 });
    expect(registry.get('module').schema.parse({ module: 'demo' })).toEqual({ module: 'demo', export: 'score' });
  });

  test('the demo config (`adapter: module, module: demo`) creates a working adapter', async () => {
    const p = registry.get('module');
    const adapter = p.create(p.schema.parse({ module: 'demo' }), { baseDir: '.' });
    const requests = capturedRequests(2);
    expect(await adapter.score(requests, 'v1')).toEqual(demoScore(requests, 'v1'));
  });
});
