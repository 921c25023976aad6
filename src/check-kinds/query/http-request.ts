import type { Logger } from '../../telemetry/logger';
import { QueryError, describeError } from './failure';
import { readEnv } from './scheduled-query';

export interface HttpAuth {
  headers: Record<string, string>;
  header_env: Record<string, string>;
  bearer_token_env?: string;
}

/** requestHeaders: the plain headers plus those read from the environment; the secret values are registered for masking. */
export function requestHeaders(auth: HttpAuth, env: Record<string, string | undefined>, logger: Logger): Record<string, string> {
  const out: Record<string, string> = { accept: 'application/json', ...auth.headers };
  const secrets: string[] = [];
  for (const [name, variable] of Object.entries(auth.header_env)) {
    out[name] = readEnv(env, variable, `header_env.${name}`);
    secrets.push(out[name]);
  }
  if (auth.bearer_token_env) {
    const token = readEnv(env, auth.bearer_token_env, 'bearer_token_env');
    out.authorization = `Bearer ${token}`;
    secrets.push(token);
  }
  logger.addSecrets(secrets);
  return out;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * httpRequest sends one request with a deadline covering the connection, the answer and its body,
 * and files network failures and the deadline under query error reasons.
 */
export async function httpRequest(url: string, init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpAnswer> {
  try {
    const res = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs), redirect: 'follow' });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new QueryError('timeout', `${url}: no complete answer within ${init.timeoutMs / 1000}s`);
    // fetch fails with "fetch failed" and the reason (ECONNREFUSED, a TLS error…) as its cause
    throw new QueryError('unreachable', `${url}: ${describeError((err as { cause?: unknown }).cause ?? err)}`);
  }
}

/** statusError: the error for a non-2xx answer, with the start of its body. */
export function statusError(url: string, a: HttpAnswer): QueryError {
  const reason = a.status === 401 || a.status === 403 ? 'auth' : 'http_status';
  return new QueryError(reason, `${url} answered HTTP ${a.status}: ${excerpt(a.text)}`);
}

/** parseJson parses an answer's body, or fails with reason not_json showing its start. */
export function parseJson(url: string, a: HttpAnswer): unknown {
  try {
    return JSON.parse(a.text);
  } catch {
    throw new QueryError('not_json', `${url} answered HTTP ${a.status} with something that is not JSON: ${excerpt(a.text)}`);
  }
}

function excerpt(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t ? JSON.stringify(t.length > 200 ? `${t.slice(0, 200)}…` : t) : '(empty body)';
}
