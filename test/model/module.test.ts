import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoScore } from '../../src/demo/model';
import { ModelError } from '../../src/errors';
import { createModuleModelAdapter } from '../../src/model/module';
import { capturedRequests } from './fixtures';

const requests = capturedRequests(5);

describe('module model adapter', () => {
  test('the builtin `demo` is demoScore', async () => {
    expect(await createModuleModelAdapter({ module: 'demo' }).score(requests, 'v1')).toEqual(demoScore(requests, 'v1'));
  });

  test('a ScoreFn is called in-process; an async one too', async () => {
    const adapter = createModuleModelAdapter({ score: async (r, v) => demoScore(r, v) });
    expect(await adapter.score(requests, 'v2')).toEqual(demoScore(requests, 'v2'));
  });

  test('a module path is loaded with require(), relative to baseDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rso-model-'));
    writeFileSync(join(dir, 'ranker.js'), 'exports.score = (reqs, v) => reqs.map((r) => ({ request_id: r.request_id, scores: r.candidates.map(() => v === "v1" ? 0.5 : 0.1) }));\n');
    writeFileSync(join(dir, 'other.js'), 'exports.rank = () => [];\n');
    const got = await createModuleModelAdapter({ module: './ranker.js', baseDir: dir }).score(requests, 'v1');
    expect(got[0].scores.every((s) => s === 0.5)).toBe(true);
    expect(() => createModuleModelAdapter({ module: './other.js', baseDir: dir })).toThrow(/has no function export "score" \(exports: rank\)/);
    expect(() => createModuleModelAdapter({ module: './missing.js', baseDir: dir })).toThrow(ModelError);
  });

  test('a throwing or misbehaving function becomes a ModelError', async () => {
    const boom = createModuleModelAdapter({ score: () => { throw new TypeError('x is undefined'); } });
    await expect(boom.score(requests, 'v1')).rejects.toThrow(/model module function failed: x is undefined/);
    const short = createModuleModelAdapter({ score: (r) => r.slice(1).map((q) => ({ request_id: q.request_id, scores: q.candidates.map(() => 1) })) });
    await expect(short.score(requests, 'v1')).rejects.toThrow(/no response for request_id/);
    await expect(createModuleModelAdapter({ module: 'demo' }).score(requests, 'v7')).rejects.toThrow(/no version "v7"/);
  });
});
