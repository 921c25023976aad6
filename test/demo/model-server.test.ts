import { demoScore } from '../../src/demo/model';
import { startModelServer, type ModelServer } from '../../src/demo/model-server';
import { capturedRequests } from '../model/fixtures';

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('demo model server', () => {
  let server: ModelServer;
  const requests = capturedRequests(3);
  beforeAll(async () => {
    server = await startModelServer({ score: demoScore });
  });
  afterAll(() => server.close());

  test('the generic protocol on /score and /models/{version}/score', async () => {
    const want = demoScore(requests, 'v1');
    const a = await post(`${server.url}/score`, { model_version: 'v1', requests });
    expect(a).toEqual({ status: 200, body: { responses: want } });
    const b = await post(`${server.url}/models/v1/score`, { requests });
    expect(b.body.responses).toEqual(want);
    const c = await post(`${server.url}/models/v2/score`, { model_version: 'v1', requests });
    expect(c.body.responses).toEqual(demoScore(requests, 'v2')); // the URL's version wins
  });

  test('the Open Inference Protocol v2 route', async () => {
    const body = { id: 'x1', inputs: [{ name: 'requests', datatype: 'BYTES', shape: [3], data: requests.map((r) => JSON.stringify(r)) }] };
    const res = await post(`${server.url}/v2/models/ranker/versions/v1/infer`, body);
    expect(res.status).toBe(200);
    const outputs = res.body.outputs as Array<{ name: string; datatype: string; shape: number[]; data: unknown[] }>;
    const scores = outputs.find((o) => o.name === 'scores');
    const total = requests.reduce((n, r) => n + r.candidates.length, 0);
    expect(scores).toMatchObject({ datatype: 'FP64', shape: [total] });
    expect(scores?.data).toEqual(demoScore(requests, 'v1').flatMap((r) => r.scores));
    expect(res.body).toMatchObject({ model_name: 'ranker', model_version: 'v1', id: 'x1' });
    const meta = await (await fetch(`${server.url}/v2/models/ranker`)).json();
    expect(meta).toMatchObject({ name: 'ranker', inputs: [{ name: 'requests', datatype: 'BYTES' }] });
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
  });

  test('bad requests are refused with a reason', async () => {
    expect(await post(`${server.url}/score`, { requests })).toEqual({ status: 400, body: { error: 'missing "model_version"' } });
    const unknown = await post(`${server.url}/score`, { model_version: 'v9', requests });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatch(/no version "v9"/);
    expect((await post(`${server.url}/nope`, {})).status).toBe(404);
    const v2bad = await post(`${server.url}/v2/models/m/versions/v1/infer`, { inputs: [{ name: 'requests', datatype: 'FP32', shape: [1], data: [1] }] });
    expect(v2bad.status).toBe(400);
  });
});
