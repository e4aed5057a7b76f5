// What the browser tests share: Debian's Chromium driven by playwright-core (closed network,
// Web Bluetooth on), the web app built into a temporary folder, a static file server for it, and
// the artifacts folder the screenshots go to (build/webapp-test, git-ignored).
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'build', 'webapp-test');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-features=WebBluetooth'],
  });
}

export async function artifactsDir(name: string): Promise<string> {
  const dir = join(ARTIFACTS, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Builds the web app into a fresh temporary folder (the same build as npm run build:web). */
export async function buildApp(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'implant-webapp-'));
  const { buildWebApp } = (await import(new URL('../../webapp/build.mjs', import.meta.url).href)) as { buildWebApp(o: { outdir: string }): Promise<unknown> };
  await buildWebApp({ outdir });
  return outdir;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.txt': 'text/plain' };

/** Serves a folder of static files on 127.0.0.1 (a secure context for Web Bluetooth); anything else is 404. */
export async function serveStatic(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
