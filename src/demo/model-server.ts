import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { RecsysopsError } from '../errors';
import type { ModelRequest, ScoreFn } from '../model/protocol';
import { mulberry32 } from './random';

/**
 * The demo model server speaks two wire protocols over one ScoreFn:
 *
 * 1. The design's generic protocol: `POST /score` (or `path`) and `POST /models/{version}/score` with
 *    `{"model_version", "requests": [ModelRequest…]}` → `{"responses": [{"request_id", "scores"}]}`.
 *    A version in the URL wins over the body's.
 *
 * 2. KServe / Open Inference Protocol v2: `POST /v2/models/{name}/versions/{version}/infer` (or
 *    `/v2/models/{name}/infer` with `parameters.model_version`). Requests are ragged (each has its own
 *    candidates), which a v2 tensor cannot hold directly, so they travel as JSON strings:
 *      inputs:  [{name: "requests", datatype: "BYTES", shape: [n], data: [JSON.stringify(ModelRequest)…]}]
 *      outputs: [{name: "request_ids", datatype: "BYTES", shape: [n], data: [id…]},
 *                {name: "candidate_counts", datatype: "INT32", shape: [n], data: [count…]},
 *                {name: "scores", datatype: "FP64", shape: [total candidates], data: [all scores, request by request]}]
 *    Scores are FP64, not FP32, so a replay compares exactly the numbers the model produced.
 *    Health (`/v2/health/live`, `/v2/health/ready`) and model metadata (`GET /v2/models/{name}`) answer too.
 */
export interface ModelServerOptions {
  score: ScoreFn;
  /** 0 (default) picks a free port */
  port?: number;
  host?: string;
  /** the generic protocol's path besides `/models/{version}/score` */
  path?: string;
  /** wait this long before answering a scoring call (to test timeouts) */
  delayMs?: number;
  /** share of scoring calls answered with HTTP 500 (seeded, reproducible) */
  failRate?: number;
  /** the first N scoring calls are answered with HTTP 500 (to test retries) */
  failFirst?: number;
  seed?: number;
  /** the v2 model name to accept; any name when absent */
  modelName?: string;
}

export interface ModelServerStats {
  /** scoring calls received (failed ones included) */
  calls: number;
  /** requests scored successfully */
  requests: number;
  paths: string[];
  /** the most scoring calls ever in progress at once (to check an adapter's concurrency limit) */
  maxInFlight: number;
}

export interface ModelServer {
  /** base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  stats: ModelServerStats;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** startModelServer listens and resolves once the port is bound. */
export async function startModelServer(opts: ModelServerOptions): Promise<ModelServer> {
  const path = opts.path ?? '/score';
  const rng = mulberry32(opts.seed ?? 1);
  const stats: ModelServerStats = { calls: 0, requests: 0, paths: [], maxInFlight: 0 };
  let inFlight = 0;

  const scoringCall = async (pathname: string) => {
    stats.calls++;
    stats.paths.push(pathname);
    if (opts.delayMs) await delay(opts.delayMs);
    const failDraw = rng();
    if (stats.calls <= (opts.failFirst ?? 0) || failDraw < (opts.failRate ?? 0)) throw new HttpError(500, 'injected failure');
  };
  const score = async (requests: ModelRequest[], version: string) => {
    try {
      const responses = await opts.score(requests, version);
      stats.requests += requests.length;
      return responses;
    } catch (e) {
      // a deliberate, non-retriable refusal (e.g. an unknown version) is the caller's problem
      if (e instanceof RecsysopsError && !e.retriable) throw new HttpError(422, e.message);
      throw new HttpError(500, `scoring failed: ${(e as Error).message}`);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'GET') {
      if (p === '/healthz' || p === '/v2/health/live' || p === '/v2/health/ready') return send(res, 200, { live: true, ready: true });
      const meta = p.match(/^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?$/);
      if (meta) return send(res, 200, metadata(decodeURIComponent(meta[1]), meta[2] && decodeURIComponent(meta[2])));
      throw new HttpError(404, `no route GET ${p}`);
    }
    if (req.method !== 'POST') throw new HttpError(405, `method ${req.method} not allowed`);
    const v2 = p.match(/^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?\/infer$/);
    const generic = p.match(/^\/models\/([^/]+)\/score$/);
    if (!v2 && !generic && p !== path) throw new HttpError(404, `no route POST ${p}`);
    const body = await readJson(req);
    stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
    try {
      await scoringCall(p);
      return await answer(body, v2, generic, res);
    } finally {
      inFlight--;
    }
  };

  const answer = async (body: unknown, v2: RegExpMatchArray | null, generic: RegExpMatchArray | null, res: ServerResponse) => {
    if (v2) {
      const name = decodeURIComponent(v2[1]);
      if (opts.modelName && name !== opts.modelName) throw new HttpError(404, `model "${name}" not found`);
      const version = v2[2] ? decodeURIComponent(v2[2]) : stringParam(body, 'model_version');
      return send(res, 200, await inferV2(body, name, version, score));
    }
    const b = body as { model_version?: unknown; requests?: unknown };
    const version = generic ? decodeURIComponent(generic[1]) : b.model_version;
    if (typeof version !== 'string' || !version) throw new HttpError(400, 'missing "model_version"');
    if (!Array.isArray(b.requests)) throw new HttpError(400, '"requests" must be an array');
    return send(res, 200, { responses: await score(b.requests as ModelRequest[], version) });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, e instanceof HttpError ? e.status : 500, { error: (e as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function inferV2(body: unknown, name: string, version: string, score: (r: ModelRequest[], v: string) => Promise<{ request_id: string; scores: number[] }[]>) {
  const b = body as { id?: unknown; inputs?: unknown };
  if (!Array.isArray(b.inputs)) throw new HttpError(400, '"inputs" must be an array');
  const input = b.inputs.find((i) => (i as { name?: unknown })?.name === 'requests') as { datatype?: unknown; shape?: unknown; data?: unknown } | undefined;
  if (!input) throw new HttpError(400, 'missing input "requests"');
  if (input.datatype !== 'BYTES') throw new HttpError(400, 'input "requests" must have datatype BYTES');
  if (!Array.isArray(input.data) || !input.data.every((d) => typeof d === 'string')) throw new HttpError(400, 'input "requests" must hold JSON strings');
  if (!Array.isArray(input.shape) || input.shape.length !== 1 || input.shape[0] !== input.data.length) {
    throw new HttpError(400, `input "requests" shape must be [${input.data.length}]`);
  }
  const requests = (input.data as string[]).map((s, i) => {
    try {
      return JSON.parse(s) as ModelRequest;
    } catch {
      throw new HttpError(400, `input "requests"[${i}] is not valid JSON`);
    }
  });
  const responses = await score(requests, version);
  const scores = responses.flatMap((r) => r.scores);
  return {
    model_name: name,
    model_version: version,
    ...(typeof b.id === 'string' ? { id: b.id } : {}),
    outputs: [
      { name: 'request_ids', datatype: 'BYTES', shape: [responses.length], data: responses.map((r) => r.request_id) },
      { name: 'candidate_counts', datatype: 'INT32', shape: [responses.length], data: responses.map((r) => r.scores.length) },
      { name: 'scores', datatype: 'FP64', shape: [scores.length], data: scores },
    ],
  };
}

function metadata(name: string, version?: string) {
  return {
    name,
    ...(version ? { versions: [version] } : {}),
    platform: 'recsysops',
    inputs: [{ name: 'requests', datatype: 'BYTES', shape: [-1] }],
    outputs: [
      { name: 'request_ids', datatype: 'BYTES', shape: [-1] },
      { name: 'candidate_counts', datatype: 'INT32', shape: [-1] },
      { name: 'scores', datatype: 'FP64', shape: [-1] },
    ],
  };
}

function stringParam(body: unknown, key: string): string {
  const v = (body as { parameters?: Record<string, unknown> }).parameters?.[key];
  if (typeof v !== 'string' || !v) throw new HttpError(400, `no version in the path and no parameters.${key}`);
  return v;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
