import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpJsonKind } from '../../../src/check-kinds/query/http-json';
import { freePort, silentServer } from '../../notify/helpers';
import { build, problems } from './harness';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler;
let server: Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => (seen.length = 0));

const json = (status: number, doc: unknown) => (_req: IncomingMessage, _body: string, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(doc));
};

const OFFLINE = {
  data: {
    metrics: [
      { version: 'v7', trained_at: '2026-01-01T00:00:00Z', ndcg_at_10: 0.5, surface: 'home' },
      { version: 'v8', trained_at: '2026-01-02T00:00:00Z', ndcg_at_10: 0.45, surface: 'home' },
    ],
  },
};

describe('http-json against a real HTTP server', () => {
  test('GET with a bearer token and a header from the environment; each match a series labelled from its siblings', async () => {
    handler = json(200, OFFLINE);
    const q = build(
      httpJsonKind,
      { url: `${base}/offline`, value: 'data.metrics[*].ndcg_at_10', series_labels: { model_version: 'version', surface: 'surface' }, bearer_token_env: 'TOKEN', header_env: { 'X-Api-Key': 'KEY' }, headers: { 'X-Team': 'recsys' } },
      { TOKEN: 'tok-123456', KEY: 'key-654321' },
    );
    expect(await q.check.evaluate(Date.now())).toEqual([
      { labels: { model_version: 'v7', surface: 'home' }, value: 0.5 },
      { labels: { model_version: 'v8', surface: 'home' }, value: 0.45 },
    ]);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/offline', headers: { authorization: 'Bearer tok-123456', 'x-api-key': 'key-654321', 'x-team': 'recsys' } });
  });

  test('POST sends the body as JSON; compare_versions over the answer', async () => {
    handler = (_req, body, res) => json(200, JSON.parse(body).window === '1d' ? OFFLINE : {})(_req, body, res);
    const q = build(httpJsonKind, {
      url: `${base}/query`,
      method: 'POST',
      body: { window: '1d' },
      value: 'data.metrics[*].ndcg_at_10',
      series_labels: { model_version: 'version' },
      compare_versions: { order_by: 'trained_at' },
    });
    const [o] = await q.check.evaluate(Date.now());
    // v8 against v7: (0.45 − 0.5) / 0.5 = −0.1
    expect(o.value).toBeCloseTo(-0.1, 12);
    expect(o.details).toMatchObject({ candidate: 'v8', baseline: 'v7' });
    expect(seen[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"window":"1d"}' });
  });

  test('failures are reasons, not observations: HTTP status, auth, not JSON, path not found, timeout, refused', async () => {
    const hung = await silentServer();
    const cases: Array<[Handler | undefined, Record<string, unknown>, string, string]> = [
      [json(500, { error: 'pipeline down' }), {}, 'http_status', 'answered HTTP 500: "{\\"error\\":\\"pipeline down\\"}"'],
      [json(403, {}), {}, 'auth', 'answered HTTP 403'],
      [(_q, _b, res) => res.end('<html>maintenance</html>'), {}, 'not_json', 'something that is not JSON: "<html>maintenance</html>"'],
      [json(200, { data: { metrics: [] } }), {}, 'path_not_found', 'value path data.metrics[*].ndcg_at_10 matched nothing: $.data.metrics[*] is not in the answer'],
      [json(200, { data: { metrics: [{ ndcg_at_10: 'n/a' }] } }), {}, 'bad_result', '$.data.metrics[0].ndcg_at_10: expected a number, got "n/a"'],
      [undefined, { url: `http://127.0.0.1:${hung.port}/`, timeout: '300ms' }, 'timeout', 'no complete answer within 0.3s'],
      [undefined, { url: `http://127.0.0.1:${await freePort()}/` }, 'unreachable', 'ECONNREFUSED'],
    ];
    try {
      for (const [h, fields, reason, message] of cases) {
        if (h) handler = h;
        const q = build(httpJsonKind, { url: `${base}/m`, value: 'data.metrics[*].ndcg_at_10', ...fields });
        expect(await q.check.evaluate(Date.now())).toEqual([]);
        expect(await q.check.evaluate(Date.now())).toEqual([]);
        expect(await q.errors()).toEqual({ [reason]: 2 });
        const failed = q.log.filter((l) => l.includes('query failed'));
        expect(failed).toHaveLength(1);
        expect(failed[0]).toContain(message);
      }
    } finally {
      await hung.close();
    }
  });

  test('a token the server echoes back is masked in the log', async () => {
    handler = (req, _b, res) => {
      res.writeHead(502);
      res.end(`upstream refused ${req.headers.authorization}`);
    };
    const q = build(httpJsonKind, { url: `${base}/m`, value: 'x', bearer_token_env: 'TOKEN' }, { TOKEN: 'very-secret-token' });
    expect(await q.check.evaluate(Date.now())).toEqual([]);
    const text = q.log.join('\n');
    expect(text).toContain('upstream refused Bearer ***');
    expect(text).not.toContain('very-secret-token');
  });
});

describe('http-json definitions', () => {
  test('a path that does not parse, a body without POST, an Authorization header in YAML are refused', () => {
    expect(problems(httpJsonKind, { url: 'http://x/', value: 'data..x' })).toEqual([expect.stringMatching(/^value: unexpected "\." at 6 in "data\.\.x"; expected a path such as/)]);
    expect(problems(httpJsonKind, { url: 'http://x/', value: 'a', body: { q: 1 } })).toEqual(['body: a body is only sent with method: POST']);
    expect(problems(httpJsonKind, { url: 'http://x/', value: 'a', headers: { Authorization: 'Bearer abc' } })).toEqual([expect.stringMatching(/^headers: an Authorization header is a secret/)]);
    expect(problems(httpJsonKind, { url: 'http://x/', value: 'a', series_labels: { surface: 'a[' } })).toEqual([expect.stringMatching(/^series_labels\.surface: "\[" at 2 is not closed/)]);
  });
});
