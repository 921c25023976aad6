import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * startMetricsServer serves /metrics for Prometheus plus /-/healthy and /-/ready, on loopback by
 * default. Port 0 picks a free port (tests); the bound address is returned.
 */
export async function startMetricsServer(o: {
  registry: Registry;
  host: string;
  port: number;
  ready: () => boolean;
  /** extra read-only JSON endpoints, e.g. /api/issues */
  json?: Record<string, () => unknown>;
}): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/metrics') {
        const body = await o.registry.metrics();
        res.writeHead(200, { 'content-type': o.registry.contentType });
        res.end(body);
      } else if (path === '/-/healthy') {
        res.writeHead(200).end('OK\n');
      } else if (path === '/-/ready') {
        const ready = o.ready();
        res.writeHead(ready ? 200 : 503).end(ready ? 'Ready\n' : 'Starting\n');
      } else if (o.json && path in o.json) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o.json[path](), null, 2));
      } else if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('recsysops\n\n/metrics\n/-/healthy\n/-/ready\n' + Object.keys(o.json ?? {}).join('\n') + '\n');
      } else {
        res.writeHead(404).end('not found\n');
      }
    } catch (err) {
      res.writeHead(500).end(`${(err as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
