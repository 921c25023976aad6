import http from 'node:http';
import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AlertRecord } from '../../src/alerting/alert';
import { createLogger, type Logger } from '../../src/telemetry/logger';

/** alert builds a firing alert record; override any field. */
export function alert(over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    fingerprint: 'fp-7f3a9c21',
    check: 'volume-impressions',
    status: 'firing',
    severity: 'critical',
    labels: { surface: 'home' },
    value: 120,
    expected: { lower: 800, upper: 1300 },
    summary: 'impressions on home dropped to 120 per minute (expected 800–1300)',
    startsAt: '2024-05-01T10:00:00.000Z',
    issue_id: '7f3a9c21',
    dashboard_url: 'http://grafana.local/d/recsysops?var-check=volume-impressions',
    runbook_url: 'https://wiki.local/runbooks/volume',
    ...over,
  };
}

/** captureLogger records every log line, so tests can assert what an operator would read. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) }), lines };
}

/** freePort returns a loopback port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** silentServer accepts TCP connections and never answers: a hung receiver. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

export interface WebhookRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * webhookReceiver is a real HTTP server; `answer` picks the status (and body) of each request,
 * given how many came before. Every request is recorded with the status it got.
 */
export async function webhookReceiver(
  answer: (n: number, req: { headers: http.IncomingHttpHeaders; body: string }) => number | { status: number; body: string } = () => 200,
): Promise<{ url: string; requests: WebhookRequest[]; accepted(): WebhookRequest[]; close(): Promise<void> }> {
  const requests: WebhookRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const a = answer(requests.length, { headers: req.headers, body });
      const { status, body: out } = typeof a === 'number' ? { status: a, body: '' } : a;
      requests.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(out);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** smtpReceiver is a real SMTP server (smtp-server) keeping the raw DATA of every accepted message. */
export async function smtpReceiver(
  opts: Partial<SMTPServerOptions> & { user?: string; pass?: string; echoOnReject?: string } = {},
): Promise<{ port: number; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const { user, pass, echoOnReject = '', ...rest } = opts;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: user === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: user === undefined,
    allowInsecureAuth: true,
    closeTimeout: 100,
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) return cb(null, { user: auth.username });
      // A hostile or chatty server that repeats what it was sent: the notifier must still not leak it.
      cb(new Error(`invalid credentials ${auth.username}/${auth.password} ${echoOnReject}`));
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        cb();
      });
    },
    ...rest,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.server.address() as net.AddressInfo;
  return { port, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** smtpError makes the error an smtp-server hook passes back to reply with `code`. */
export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** waitFor polls until check() is true (or fails the test after timeoutMs). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
