// A small HTTP server for the browser tests: serves the built pages (web/dist)
// with the headers leadtime-server sends them (a Content-Security-Policy that
// allows only the server's own files, no-store on pages), so a page that
// needs an inline script, a CDN or an external font fails here as it would
// there. With `tcpPort`, /ws is bridged to a leadtime-server's TCP port (one
// WebSocket message <-> one length-prefixed frame), for use until the
// server's own --web listener is there.
import http from 'node:http';
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../../web/package.json', import.meta.url));

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

export async function startStaticServer({ root, tcpPort = 0 }) {
  const base = resolve(root);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname);
    if (path === '/') path = '/index.html';
    const file = normalize(join(base, path));
    if (!file.startsWith(base + '/')) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      const body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' };
      headers['cache-control'] = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store';
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  if (tcpPort) {
    const { WebSocketServer } = require('ws');
    const wss = new WebSocketServer({ server, path: '/ws' });
    wss.on('connection', (ws) => {
      const tcp = net.connect(tcpPort, '127.0.0.1');
      let buf = Buffer.alloc(0);
      tcp.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 4) {
          const len = buf.readUInt32LE(0);
          if (buf.length < 4 + len) break;
          ws.send(buf.subarray(4, 4 + len), { binary: true });
          buf = buf.subarray(4 + len);
        }
      });
      ws.on('message', (data) => {
        const payload = Buffer.isBuffer(data) ? data : Buffer.from(data);
        const head = Buffer.alloc(4);
        head.writeUInt32LE(payload.length, 0);
        tcp.write(Buffer.concat([head, payload]));
      });
      tcp.on('close', () => ws.close());
      tcp.on('error', () => ws.close());
      ws.on('close', () => tcp.destroy());
    });
  }
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }) };
}
