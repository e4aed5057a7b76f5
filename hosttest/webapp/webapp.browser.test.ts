// The web app end to end in headless Chromium, on a 360 x 740 phone viewport, against the real
// simulator (`implant run` as a child process on a free port, a new state directory, its
// development identities), through the Web-Bluetooth-shaped bridge adapter and the app's one
// transport: pair inside the window and see the same code on both sides; interrogate; change
// the lower rate and see the marker rate follow; be refused a command the role lacks, in plain
// words; push a signed update over a link that drops, see it resume, trial-boot and confirm;
// read and verify the audit log; restart the simulator, reconnect from the stored state, and
// clear the safe mode that a third reset within 48 h latches.
// Screenshots of each step go to build/webapp-test/app/. Every wait is bounded.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { cli, startSim } from '../cli/sim-process.js';
import type { RunningSim } from '../cli/sim-process.js';
import { artifactsDir, chromiumAvailable, launchChromium } from './browser-harness.js';
import { channelOf, MARKER_TYPES } from '../../modules/therapy/markers.js';
import type { MarkerType } from '../../modules/therapy/markers.js';

const PHONE = { width: 360, height: 740 };

/** What the functions evaluated in the page touch (they run in the browser, typed here without the DOM library). */
interface PageGlobals {
  localStorage: { setItem(k: string, v: string): void } & Record<string, string>;
  __implantLive?: { firstMarkerShownAt?: number; shown: { t: number; type: string; receivedAt: number; shownAt: number }[] };
}

const PRESS_MS = 3500; // held 3 to 10 s and released: opens the pairing window

/** Epoch ms of the device's time 0, from console lines the control socket streams as they print. */
class DeviceClock {
  private offset = Infinity;
  private lastT = -Infinity;
  private readonly socket: WebSocket;
  constructor(url: string) {
    this.socket = new WebSocket(`${url}/control`);
    this.socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as { event?: string; t?: number | null; topic?: string };
      if (m.event !== 'console' || typeof m.t !== 'number' || m.topic === 'marker') return;
      if (m.t < this.lastT - 1000) this.offset = Infinity; // time went back: the device rebooted
      this.lastT = m.t;
      this.offset = Math.min(this.offset, Date.now() - m.t);
    });
    this.socket.on('open', () => this.socket.send(JSON.stringify({ id: 1, op: 'state' })));
    this.socket.on('error', () => undefined);
  }
  epochOf(deviceMs: number): number {
    return this.offset + deviceMs;
  }
  get known(): boolean {
    return Number.isFinite(this.offset);
  }
  close(): void {
    this.socket.close();
  }
}

async function tab(page: Page, name: string): Promise<void> {
  await page.click(`[data-test=tab-${name}]`);
}

async function magnet(page: Page, held: boolean): Promise<void> {
  await tab(page, 'simulator');
  const button = page.locator('[data-test=sim-button]');
  await button.getByText(held ? 'Hold magnet' : 'Release magnet').waitFor({ timeout: 10000 });
  await button.click();
  await button.getByText(held ? 'Release magnet' : 'Hold magnet').waitFor({ timeout: 10000 });
}

async function useIdentity(page: Page, label: RegExp): Promise<void> {
  await tab(page, 'devices');
  const select = page.locator('[data-test=identity]');
  const option = await select.locator('option').filter({ hasText: label }).first().getAttribute('value');
  await select.selectOption(option!);
}

async function connect(page: Page): Promise<void> {
  await tab(page, 'devices');
  await page.click('[data-test=connect]');
  const opened = page.locator('[data-test=status]').waitFor({ timeout: 20000 });
  const refused = page.locator('[data-test=devices-notice].error').waitFor({ timeout: 20000 }).then(async () => {
    throw new Error(`connect refused: ${await page.locator('[data-test=devices-notice]').textContent()}`);
  }, () => undefined);
  await Promise.race([opened, refused]);
}

/** Markers the strip has drawn (device time, type), oldest first. */
function drawn(page: Page): Promise<{ t: number; type: string }[]> {
  return page.evaluate(() => ((globalThis as unknown as PageGlobals).__implantLive?.shown ?? []).map((m) => ({ t: m.t, type: m.type })));
}

/**
 * Waits for the magnet response to end (a MAG-OFF after the last MAG-ON) and `beats` escape
 * intervals after it, and returns their median: the time from a VP to the next VP with no other
 * ventricular event between. A beat of the virtual heart's own restarts the escape, so a VP–VP
 * gap around one says nothing about the programmed rate (and whether one falls in depends on the
 * host's scheduling), which is why those gaps are left out.
 */
async function pacedIntervalAfterMagnet(page: Page, beats: number, timeoutMs: number): Promise<number> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await page.waitForTimeout(500)) {
    const markers = await drawn(page);
    const on = markers.map((m) => m.type).lastIndexOf('MAG-ON');
    const off = markers.map((m) => m.type).lastIndexOf('MAG-OFF');
    if (off < 0 || off < on) continue;
    const ventricular = markers.slice(off).filter((m) => (MARKER_TYPES as readonly string[]).includes(m.type) && channelOf(m.type as MarkerType) === 'V');
    const escapes = ventricular.slice(1).flatMap((m, i) => (m.type === 'VP' && ventricular[i].type === 'VP' ? [m.t - ventricular[i].t] : []));
    if (escapes.length < beats) continue;
    return escapes.sort((a, b) => a - b)[Math.floor(escapes.length / 2)];
  }
  throw new Error('no paced escape intervals after the magnet was removed');
}

describe('web app in Chromium against the simulator (end to end)', function () {
  this.timeout(300_000);
  let dir: string;
  let sim: RunningSim;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  let clock: DeviceClock;
  const bridges: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  let dropAfterBulk: number | undefined;
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });

  before(async function () {
    if (!chromiumAvailable()) throw new Error('Chromium is missing: apt-get install chromium (.ci/run does)');
    const { buildWebApp } = (await import(new URL('../../webapp/build.mjs', import.meta.url).href)) as { buildWebApp(): Promise<unknown> };
    await buildWebApp(); // webapp/dist, which the simulator serves
    shots = await artifactsDir('app');
    dir = mkdtempSync(join(tmpdir(), 'implant-webapp-e2e-'));
    sim = await startSim(join(dir, 'state'), { fresh: true });
    await sim.waitFor((l) => l.topic === 'simulator' && l.text.startsWith('factory: device provisioned'), 30_000);
    clock = new DeviceClock(sim.url);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    page = await context.newPage();
    // Every bridge socket passes through here, so the test can drop a link as a radio would:
    // once `dropAfterBulk` bytes of update data went out on it.
    await page.routeWebSocket(/\/bridge$/, (ws) => {
      const server = ws.connectToServer();
      bridges.push({ page: ws, server });
      let bulk = 0;
      ws.onMessage((message) => {
        server.send(message);
        const op = JSON.parse(String(message)) as { op: string; withResponse?: boolean; value?: string };
        if (op.op === 'write' && op.withResponse === false) bulk += (op.value ?? '').length / 2;
        if (dropAfterBulk !== undefined && bulk >= dropAfterBulk) {
          dropAfterBulk = undefined;
          void server.close({ code: 1000, reason: 'central gone' });
          void ws.close({ code: 1001, reason: 'link lost' });
        }
      });
    });
    await page.goto(`http://127.0.0.1:${sim.port}/`);
    await page.locator('[data-test=identity]').waitFor();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(sim.lines.filter((l) => l.topic !== 'marker').slice(-12).map((l) => `        ${l.t_ms} ${l.topic}: ${l.text}`).join('\n'));
    if (this.currentTest?.state === 'failed') await shot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  after(async () => {
    clock?.close();
    await browser?.close();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pairs this phone inside the pairing window: the app and the device show the same code', async () => {
    await shot('01-devices');
    await magnet(page, true);
    await page.waitForTimeout(PRESS_MS);
    await magnet(page, false);
    await sim.waitFor((l) => l.topic === 'access' && l.text === 'pairing window open', 5000);
    await tab(page, 'devices');
    await page.locator('[data-test=pairing-window]').getByText('open').waitFor({ timeout: 5000 });
    await page.click('[data-test=pair]');
    const code = (await page.locator('[data-test=sas]').textContent({ timeout: 20000 }))!;
    assert.match(code, /^\d{6}$/);
    await sim.waitFor((l) => l.topic === 'access' && l.text === `pairing code ${code}`, 5000);
    await shot('02-paired-code');
    await page.click('[data-test=sas-ok]');
    assert.equal(await page.locator('[data-test=role]').textContent({ timeout: 10000 }), 'patient');
    await shot('03-patient-status');
  });

  it('connects as the development clinician (IK with the learned key) and interrogates', async () => {
    await useIdentity(page, /Development clinician/);
    await connect(page);
    assert.equal(await page.locator('[data-test=devkeys]').isVisible(), true, 'DEVELOPMENT KEYS shown');
    assert.match((await page.locator('[data-test=link-state]').textContent())!, /Development clinician · IK/);
    assert.equal(await page.locator('[data-test=role]').textContent({ timeout: 10000 }), 'clinician');
    await page.locator('[data-test=battery]').getByText('good (beginning of life)').waitFor({ timeout: 10000 });
    await page.locator('[data-test=rate]').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 20000 });
    await shot('04-clinician-status-live');
  });

  it('programs the lower rate with the magnet held, and the marker rate follows', async () => {
    await magnet(page, true);
    await tab(page, 'program');
    await page.locator('[data-test=param-mode]').selectOption('VVI');
    await page.locator('[data-test=param-lrl]').selectOption('90');
    await shot('05-program-edit');
    await page.click('[data-test=program]');
    await page.locator('[data-test=program-notice]').getByText('Programmed').waitFor({ timeout: 10000 });
    await shot('06-programmed');
    await magnet(page, false);
    await tab(page, 'status');
    await page.locator('[data-test=lrl]').getByText('90 ppm').waitFor({ timeout: 10000 });
    const interval = await pacedIntervalAfterMagnet(page, 5, 40000);
    assert.ok(Math.abs(interval - 60000 / 90) <= 15, `paced every ${interval} ms after programming 90 ppm`);
    const shown = Number(await page.locator('[data-test=rate]').textContent());
    // Every ventricular event counts (paces and the heart's own beats); VVI 90 allows none slower.
    assert.ok(shown >= 87, `the strip's ventricular rate reads ${shown}`);
    await page.click('[data-test=interrogate]');
    await page.locator('[data-test=mode]').getByText('VVI').waitFor({ timeout: 10000 });
    await shot('07-rate-follows');
  });

  it('refuses, in plain words, what the role may not do', async () => {
    await useIdentity(page, /Development manufacturer/);
    await connect(page);
    await tab(page, 'program');
    const notice = page.locator('[data-test=program-notice]');
    await notice.waitFor({ timeout: 10000 });
    assert.match((await notice.textContent())!, /^Your role may not do this\./);
    await shot('08-refused');
  });

  it('sends a signed update over a link that drops, resumes, trial-boots and confirms', async () => {
    const image = new Uint8Array(64 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
    image[0] = 0xe9; // an ESP32 app image's magic byte
    writeFileSync(join(dir, 'app.bin'), image);
    const signed = await cli('sign', '--key', join(dir, 'state', 'dev-keys', 'root.key.pem'), '--version', '1.3.0', '--counter', '2', join(dir, 'app.bin'), '-o', join(dir, 'app.pkg'));
    assert.equal(signed.code, 0, signed.err);
    await magnet(page, true);
    await tab(page, 'update');
    await page.locator('[data-test=update-file]').setInputFiles(join(dir, 'app.pkg'));
    assert.match((await page.locator('[data-test=update-package]').textContent())!, /version 1\.3\.0, 65,536 bytes/);
    await shot('09-update-ready');
    const dropped = bridges.length;
    dropAfterBulk = 20_000; // about 30 % of the image
    await page.click('[data-test=update-send]');
    await page.locator('[data-test=update-state]').filter({ hasText: /resumed 1×/ }).waitFor({ timeout: 60000 });
    assert.equal(dropAfterBulk, undefined, 'the link was dropped mid-transfer');
    assert.ok(bridges.length > dropped, 'a new link after the drop');
    await shot('10-update-resumed');
    await page.locator('[data-test=update-state]').filter({ hasText: /^(restarting|trial|confirmed)/ }).waitFor({ timeout: 60000 });
    await magnet(page, false);
    await tab(page, 'update');
    await page.locator('[data-test=update-state]').filter({ hasText: /^confirmed/ }).waitFor({ timeout: 90000 });
    assert.match((await page.locator('[data-test=update-notice]').textContent())!, /1\.3\.0 passed its self-test and is confirmed/);
    await sim.waitFor((l) => l.topic === 'update' && l.text.includes('trial boot confirmed'), 5000);
    await shot('11-update-confirmed');
  });

  it('reads the audit log and verifies it', async () => {
    await useIdentity(page, /Development clinician/);
    await connect(page);
    await tab(page, 'audit');
    await page.click('[data-test=audit-read]');
    const result = page.locator('[data-test=audit-result]');
    await result.getByText(/^Verified: \d+ entries/).waitFor({ timeout: 30000 });
    const rows = await page.locator('[data-test=audit-table] tbody tr').count();
    assert.ok(rows > 10, `${rows} entries`);
    assert.ok(await page.locator('[data-test=audit-table]').getByText('therapy.program').count() >= 1, 'the programming is in the log');
    await shot('12-audit-verified');
  });

  it('gives emergency access with the magnet held 15 s: interrogation and Pace-Now, nothing else', async () => {
    await magnet(page, true);
    await page.waitForTimeout(15500); // EMERGENCY.ARM_HOLD_MS: longer than any pairing press
    await tab(page, 'devices');
    await page.click('[data-test=emergency]');
    await page.locator('[data-test=status]').waitFor({ timeout: 20000 });
    assert.match((await page.locator('[data-test=link-state]').textContent())!, /Emergency/);
    await page.locator('[data-test=therapy-state]').filter({ hasNotText: '…' }).waitFor({ timeout: 10000 });
    await tab(page, 'program');
    await page.locator('[data-test=program-notice]').getByText(/^Your role may not do this/).waitFor({ timeout: 10000 });
    await tab(page, 'status');
    await page.click('[data-test=pace-now]');
    await page.locator('[data-test=status-notice]').getByText('Pace-Now started').waitFor({ timeout: 10000 });
    await shot('13-emergency');
    await magnet(page, false);
  });

  it('measures the marker latency from the device event to the strip', async () => {
    await useIdentity(page, /Development clinician/);
    await connect(page);
    await tab(page, 'status');
    await page.locator('[data-test=rate]').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 20000 });
    await page.waitForTimeout(6000);
    assert.ok(clock.known, 'the device clock offset is known from the console');
    const shown = await page.evaluate(() => (globalThis as unknown as PageGlobals).__implantLive!.shown.map((m) => ({ t: m.t, received: performance.timeOrigin + m.receivedAt, shown: performance.timeOrigin + m.shownAt })));
    const recent = shown.slice(-8);
    assert.ok(recent.length >= 4);
    const arrival = recent.map((m) => m.received - clock.epochOf(m.t));
    const strip = recent.map((m) => m.shown - clock.epochOf(m.t));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`      marker latency: device event -> page ${median(arrival).toFixed(0)} ms median (max ${Math.max(...arrival).toFixed(0)}), -> strip ${median(strip).toFixed(0)} ms median (max ${Math.max(...strip).toFixed(0)})`);
    assert.ok(strip.every((ms) => ms > 0 && ms < 3000), `latencies ${strip.join(', ')}`);
    await shot('14-live');
  });

  it('after Ctrl-C and npm start again, reconnects from the stored state; times start to first marker', async () => {
    // The new simulator listens on another free port, a new origin for the browser: carry this
    // origin's storage (the phone key and the implant key learned at pairing) over to it.
    const stored = await page.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries((globalThis as unknown as PageGlobals).localStorage))));
    await sim.stop(); // its exit code is the simulator's own test's business (hosttest/cli)
    const started = Date.now();
    sim = await startSim(join(dir, 'state'), { fresh: false });
    await sim.waitFor((l) => l.topic === 'radio' && l.text.startsWith('advertising'), 30000);
    clock.close();
    clock = new DeviceClock(sim.url);
    await page.goto(`http://127.0.0.1:${sim.port}/`);
    await page.evaluate((json) => Object.entries(JSON.parse(json) as Record<string, string>).forEach(([k, v]) => (globalThis as unknown as PageGlobals).localStorage.setItem(k, v)), stored);
    await page.reload();
    await useIdentity(page, /Development clinician/);
    await connect(page);
    assert.match((await page.locator('[data-test=link-state]').textContent())!, /IK/, 'the implant key learned before the restart');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__implantLive?.firstMarkerShownAt !== undefined, null, { timeout: 30000 });
    const first = await page.evaluate(() => (globalThis as unknown as PageGlobals).__implantLive!.firstMarkerShownAt!);
    console.log(`      start to first marker on the strip: ${((first - started) / 1000).toFixed(2)} s (simulator boot, page load, IK session, first marker page)`);
    // Third reset within 48 h (new device, the update's restart, this one): safe mode, as the spec demands.
    await page.locator('[data-test=safe-mode]').waitFor({ timeout: 10000 });
    await shot('15-after-restart-safe-mode');
    await magnet(page, true);
    await tab(page, 'status');
    await page.click('[data-test=clear-safe-mode]');
    await page.locator('[data-test=status-notice]').getByText('Safe mode cleared').waitFor({ timeout: 10000 });
    await magnet(page, false);
    await tab(page, 'status');
    await page.locator('[data-test=safe-mode]').waitFor({ state: 'detached', timeout: 10000 });
    assert.notEqual(await page.locator('[data-test=therapy-state]').textContent(), 'SAFE MODE');
    await shot('16-safe-mode-cleared');
  });

  it('is the same app on a desktop-sized window', async () => {
    await page.setViewportSize({ width: 1000, height: 800 });
    await tab(page, 'status');
    await page.locator('[data-test=rate]').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 20000 });
    await page.waitForTimeout(6500); // one full sweep of the strip
    await page.click('[data-test=interrogate]');
    await page.locator('[data-test=mode]').filter({ hasNotText: 'magnet' }).waitFor({ timeout: 10000 });
    await page.screenshot({ path: join(shots, '17-desktop-status.png'), fullPage: true });
  });
});
