import { setTimeout as delay } from 'node:timers/promises';
import { ModelError } from '../errors';

export interface HttpCallOptions {
  timeoutMs: number;
  /** attempts after the first one, for retriable failures only */
  retries: number;
  /** first backoff; doubles per attempt, with jitter */
  backoffMs: number;
  headers?: Record<string, string>;
  /** injected for tests */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const MAX_RETRY_AFTER_MS = 30_000;

/** displayUrl drops credentials and the query string, which may carry tokens, from URLs in messages. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * postJson POSTs a JSON body to a model endpoint and returns the parsed answer. Failures become a
 * ModelError naming the endpoint: connection errors, timeouts, 5xx and 429 are retriable (retried
 * here with exponential backoff, honouring Retry-After), other 4xx and unparseable answers are not.
 */
export async function postJson(url: string, body: unknown, opts: HttpCallOptions): Promise<unknown> {
  const sleep = opts.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
  const random = opts.random ?? Math.random;
  const payload = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    const r = await postOnce(url, payload, opts);
    if (r.ok) return r.value;
    if (!r.error.retriable || attempt >= opts.retries) {
      if (attempt === 0) throw r.error;
      throw new ModelError(`${r.error.message} (gave up after ${attempt + 1} attempts)`, { retriable: r.error.retriable, cause: r.error });
    }
    const backoff = opts.backoffMs * 2 ** attempt * (0.5 + random() / 2);
    await sleep(r.retryAfterMs !== undefined ? Math.min(MAX_RETRY_AFTER_MS, r.retryAfterMs) : backoff);
  }
}

type Attempt = { ok: true; value: unknown } | { ok: false; error: ModelError; retryAfterMs?: number };

/**
 * splitCredentials: fetch refuses URLs with `user:pass@`, so credentials move into a Basic
 * Authorization header (unless the configured headers already carry one).
 */
export function splitCredentials(url: string, headers: Record<string, string> = {}): { url: string; headers: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, headers };
  }
  if (!u.username && !u.password) return { url, headers };
  const auth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  const has = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
  return { url: u.toString(), headers: has ? headers : { ...headers, authorization: `Basic ${auth}` } };
}

async function postOnce(rawUrl: string, payload: string, opts: HttpCallOptions): Promise<Attempt> {
  const where = `model endpoint ${displayUrl(rawUrl)}`;
  const { url, headers } = splitCredentials(rawUrl, opts.headers);
  let status: number;
  let text: string;
  let retryAfter: string | null = null;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'recsysops', ...headers },
      body: payload,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    text = await res.text();
  } catch (e) {
    return { ok: false, error: networkError(where, e, opts.timeoutMs) };
  }
  if (status < 200 || status >= 300) {
    const retriable = status === 429 || status >= 500;
    const snippet = errorSnippet(text);
    const error = new ModelError(`${where} answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`, { retriable });
    const secs = retryAfter !== null ? Number(retryAfter) : NaN;
    return { ok: false, error, ...(Number.isFinite(secs) && secs >= 0 ? { retryAfterMs: secs * 1000 } : {}) };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: new ModelError(`${where} answered an invalid response: not JSON (${errorSnippet(text)})`, { retriable: false }) };
  }
}

function networkError(where: string, e: unknown, timeoutMs: number): ModelError {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.cause?.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ModelError(`${where} did not answer within ${timeoutMs}ms`, { retriable: true, cause: e });
  }
  const detail = err?.cause?.message ?? err?.cause?.code ?? err?.message ?? String(e);
  return new ModelError(`${where} unreachable: ${detail}`, { retriable: true, cause: e });
}

/** errorSnippet: the `error` field of a JSON error body, or the start of the text. */
function errorSnippet(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown };
    const m = j?.error ?? j?.message;
    if (typeof m === 'string') return m.slice(0, 300);
  } catch {
    /* not JSON: show the text */
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
