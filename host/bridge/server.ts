// The simulator's server on 127.0.0.1 (docs/bridge.md): the web app's static files, GET
// /api/sim, GET /api/dev-identities, and the /bridge (GATT) and /control WebSockets. It refuses
// other origins and other Host names before any upgrade (a page elsewhere, or DNS rebinding),
// frames over 4 KiB (close 1009), malformed or unknown operations (close 1003, reason named),
// and a second central while one is connected (close 1013).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { Close, FrameError, MAX_FRAME_BYTES, parseControlRequest, parseGattRequest } from './protocol.js';
import type { ControlRequest, Reply } from './protocol.js';
import type { BoardSupervisor } from './board-supervisor.js';

export const WEBAPP_DIST = fileURLToPath(new URL('../../webapp/dist/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8', '.woff2': 'font/woff2',
});

export interface ServerOptions {
  readonly port: number;
  readonly board: BoardSupervisor;
  /** The simulator's state (GET /api/sim, the control socket's "state"). */
  readonly state: () => Record<string, unknown>;
  /** The development identities as JSON, if the state directory has them. */
  readonly devIdentities: () => Record<string, unknown> | undefined;
  /** Runs a control operation; answers the reply's fields or throws FrameError. */
  readonly control: (request: ControlRequest) => Record<string, unknown>;
  readonly scenarios: readonly string[];
}

export interface BridgeServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

function frameText(data: RawData, isBinary: boolean): string {
  if (isBinary) throw new FrameError(Close.UNSUPPORTED, 'binary frames are not supported: send JSON text');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
}

function refuse(socket: WebSocket, error: unknown): void {
  if (error instanceof FrameError) socket.close(error.code, error.reason.slice(0, 120));
  else socket.close(1011, 'internal error');
}

function sendJson(socket: WebSocket, value: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(value));
}

export function startBridgeServer(options: ServerOptions): Promise<BridgeServer> {
  const { board } = options;
  const hosts = (port: number) => [`127.0.0.1:${port}`, `localhost:${port}`];
  let port = options.port;
  // Same-machine pages only: a browser always sends Origin; the CLI sends none.
  const allowedOrigin = (origin: string | undefined) => origin === undefined || hosts(port).some((h) => origin === `http://${h}`);
  const allowedHost = (host: string | undefined) => host !== undefined && hosts(port).includes(host);

  const http = createServer((req, res) => {
    if (!allowedHost(req.headers.host) || !allowedOrigin(req.headers.origin)) return plain(res, 403, 'forbidden: the simulator serves 127.0.0.1 and localhost only\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed\n');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return plain(res, 400, 'bad path\n');
    }
    if (path === '/api/sim') return json(res, 200, options.state());
    if (path === '/api/dev-identities') {
      const ids = options.devIdentities();
      return ids ? json(res, 200, ids) : json(res, 404, { error: 'no development identities in this state directory' });
    }
    return serveStatic(path, res);
  });

  const bridge = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const control = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let central: WebSocket | undefined;

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const target = path === '/bridge' ? bridge : path === '/control' ? control : undefined;
    if (!allowedHost(req.headers.host) || !allowedOrigin(req.headers.origin) || !target) {
      socket.end(`HTTP/1.1 ${target ? '403 Forbidden' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws));
  });

  // A protocol violation (oversized frame: 1009, bad framing) is closed by ws itself; it is not a fault.
  const ignoreErrors = (ws: WebSocket) => ws.on('error', () => {});

  bridge.on('connection', (ws: WebSocket) => {
    ignoreErrors(ws);
    if (central && board.connected) return ws.close(Close.TRY_AGAIN_LATER, 'one central at a time');
    ws.on('message', (data, isBinary) => {
      let request;
      try {
        request = parseGattRequest(frameText(data, isBinary));
      } catch (error) {
        return refuse(ws, error);
      }
      if (request.op === 'connect') {
        if (central && central !== ws && board.connected) return ws.close(Close.TRY_AGAIN_LATER, 'one central at a time');
        central = ws;
        board.onGattEvent((event) => sendJson(ws, event));
      } else if (central !== ws && request.op !== 'scan') {
        return sendJson(ws, { id: request.id, ok: false, error: 'not connected' } satisfies Reply);
      }
      const { id, ...call } = request;
      void board.gatt(call as never, id).then((reply) => sendJson(ws, reply));
    });
    ws.on('close', () => {
      if (central !== ws) return;
      central = undefined;
      board.onGattEvent(undefined);
      // The phone went away: its link drops, as out of radio range.
      if (board.connected) void board.gatt({ op: 'disconnect' }, 0);
    });
  });

  control.on('connection', (ws: WebSocket) => {
    ignoreErrors(ws);
    const unsubscribe = board.onConsole((event) => sendJson(ws, event));
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      let request: ControlRequest;
      try {
        request = parseControlRequest(frameText(data, isBinary), options.scenarios);
        sendJson(ws, { id: request.id, ok: true, ...options.control(request) });
      } catch (error) {
        refuse(ws, error);
      }
    });
  });

  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => {
      const address = http.address();
      port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        server: http,
        port,
        close: () => new Promise<void>((done) => {
          for (const ws of [...bridge.clients, ...control.clients]) ws.close(Close.GOING_AWAY, 'simulator stopping');
          http.close(() => done());
          http.closeAllConnections();
        }),
      });
    });
  });
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Implant simulator</title>
<p>The web app is not built yet. Run <code>npm run build:web</code> and reload.</p>
<p>The simulator is running: its bridge is at <code>/bridge</code>, its controls at <code>/control</code>,
its status at <a href="/api/sim">/api/sim</a>.</p>\n`;

/** A file of webapp/dist, never outside it; `/` is index.html. */
function serveStatic(path: string, res: ServerResponse): void {
  const relative = normalize(path === '/' ? 'index.html' : path.slice(1));
  if (relative.startsWith('..') || relative.includes(`${sep}..`) || relative.includes('\0')) return plain(res, 400, 'bad path\n');
  const file = WEBAPP_DIST + relative;
  if (!existsSync(file) || !statSync(file).isFile()) {
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(NOT_BUILT);
    return plain(res, 404, 'not found\n');
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(readFileSync(file));
}
