// The web app on Chromium's real navigator.bluetooth, with the peripheral emulated by the DevTools
// BluetoothEmulation domain: what a board will see from a phone. The chooser lists only devices
// advertising the implant service; the app connects, discovers the service and its four
// characteristics by their UUIDs, subscribes to responses (CCCD) before writing, reads the
// device information, and sends XX message 1 to control as writes with response in fragments of
// at most MTU 23 - 3 bytes (Web Bluetooth cannot tell the MTU). The transport's bulk path writes
// to otaData without response. Emulation cannot push notifications, so the handshake stops there.
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { encodeDeviceInfo } from '../../modules/ble/device-info.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { MessageType } from '../../modules/channel/framing.js';
import { artifactsDir, buildApp, chromiumAvailable, launchChromium, ROOT, serveStatic } from './browser-harness.js';

const IMPLANT = '09:09:09:09:09:01';
const DECOY = '09:09:09:09:09:02';
const CCCD = '00002902-0000-1000-8000-00805f9b34fb';
const lower = (u: string) => u.toLowerCase();

interface Write { characteristic: string; writeType: string; data: Uint8Array }

/** An emulated implant: its GATT table, answering every operation, recording writes. */
async function emulateImplant(browserSession: CDPSession) {
  const names = new Map<string, string>();
  const writes: Write[] = [];
  const subscribed: string[] = [];
  const reads: string[] = [];
  const gatt: string[] = [];
  await browserSession.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  await browserSession.send('BluetoothEmulation.simulatePreconnectedPeripheral', { address: IMPLANT, name: 'Implant', manufacturerData: [], knownServiceUuids: [lower(IMPLANT_GATT.service)] });
  const { serviceId } = await browserSession.send('BluetoothEmulation.addService', { address: IMPLANT, serviceUuid: lower(IMPLANT_GATT.service) });
  const add = async (name: string, uuid: string, properties: Record<string, boolean>) => {
    const { characteristicId } = await browserSession.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: lower(uuid), properties });
    names.set(characteristicId, name);
    return characteristicId;
  };
  await add('deviceInfo', IMPLANT_GATT.deviceInfo, { read: true });
  await add('control', IMPLANT_GATT.control, { write: true });
  const response = await add('response', IMPLANT_GATT.response, { notify: true });
  await add('otaData', IMPLANT_GATT.otaData, { writeWithoutResponse: true });
  await browserSession.send('BluetoothEmulation.addDescriptor', { characteristicId: response, descriptorUuid: CCCD });
  browserSession.on('BluetoothEmulation.gattOperationReceived', (e) => {
    gatt.push(e.type);
    void browserSession.send('BluetoothEmulation.simulateGATTOperationResponse', { address: e.address, type: e.type, code: 0 });
  });
  browserSession.on('BluetoothEmulation.characteristicOperationReceived', (e) => {
    const name = names.get(e.characteristicId) ?? e.characteristicId;
    let data: string | undefined;
    if (e.type === 'read') {
      reads.push(name);
      data = Buffer.from(encodeDeviceInfo({ model: 'IMPLANT-DEV', protocol: 1, selectors: [0x11, 0x12] })).toString('base64');
    } else if (e.type === 'write') writes.push({ characteristic: name, writeType: e.writeType ?? '', data: new Uint8Array(Buffer.from(e.data ?? '', 'base64')) });
    else if (e.type === 'subscribe-to-notifications') subscribed.push(name);
    void browserSession.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: e.characteristicId, type: e.type, code: 0, ...(data ? { data } : {}) });
  });
  // Same name, another service: the chooser must not offer it.
  await browserSession.send('BluetoothEmulation.simulatePreconnectedPeripheral', { address: DECOY, name: 'Implant', manufacturerData: [], knownServiceUuids: ['0000180d-0000-1000-8000-00805f9b34fb'] });
  return { writes, subscribed, reads, gatt };
}

/** Answers the device chooser once, choosing the implant; remembers what it listed. */
async function answerChooser(page: Page) {
  const session = await page.context().newCDPSession(page);
  await session.send('DeviceAccess.enable');
  const listed: string[][] = [];
  const answered = new Set<string>();
  session.on('DeviceAccess.deviceRequestPrompted', (e) => {
    listed.push(e.devices.map((d) => d.id));
    const implant = e.devices.find((d) => d.id === IMPLANT);
    if (!implant || answered.has(e.id)) return; // the event repeats for one prompt: answer once
    answered.add(e.id);
    void session.send('DeviceAccess.selectPrompt', { id: e.id, deviceId: implant.id });
  });
  return listed;
}

async function until(what: string, check: () => boolean, ms = 15000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 50))) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe('web app on Chromium Web Bluetooth (BluetoothEmulation)', function () {
  this.timeout(120000);
  let browser: Browser;
  let server: Server;
  let url: string;
  let dist: string;
  let emulation: CDPSession | undefined;

  before(async function () {
    if (!chromiumAvailable()) throw new Error('Chromium is missing: apt-get install chromium (.ci/run does)');
    dist = await buildApp();
    await build({
      stdin: { contents: `import { GattLink, requestImplant } from './webapp/src/ble/gatt-link.ts';
        window.openTransport = async () => { const link = await GattLink.open(await requestImplant(navigator.bluetooth)); window.link = link; return link.mtu; };`, resolveDir: ROOT, loader: 'ts' },
      bundle: true, format: 'esm', outfile: join(dist, 'transport.js'), alias: { noble: './modules/crypto/noble-entry.ts' }, absWorkingDir: ROOT, logLevel: 'warning',
    });
    await writeFile(join(dist, 'transport.html'), '<!doctype html><button id="go" onclick="openTransport().then((m) => (document.title = `open ${m}`), (e) => (document.title = `failed ${e.name}: ${e.message}`))">go</button><script type="module" src="transport.js"></script>');
    ({ url, server } = await serveStatic(dist));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  it('app: the chooser lists only the implant; connect, discovery, subscribe, read, then XX message 1 as writes with response of at most 20 bytes', async () => {
    const shots = await artifactsDir('web-bluetooth');
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = (emulation = await browser.newBrowserCDPSession());
    const implant = await emulateImplant(cdp);
    const listed = await answerChooser(page);
    await page.goto(url);
    await page.getByText('Find implant').waitFor();
    await page.screenshot({ path: join(shots, '1-start.png') });
    await page.click('[data-test=connect]');
    await until('the HELLO fragments', () => implant.writes.length >= 2);
    assert.ok(listed.length > 0 && listed.every((ids) => ids.length === 1 && ids[0] === IMPLANT), `only the implant is offered, not the decoy: ${JSON.stringify(listed)}`);
    assert.deepEqual(implant.gatt.slice(0, 2), ['connection', 'discovery']);
    assert.deepEqual(implant.subscribed, ['response'], 'subscribed to the response characteristic (CCCD)');
    assert.deepEqual(implant.reads, ['deviceInfo']);
    const hello = implant.writes.filter((w) => w.characteristic === 'control');
    assert.equal(hello.length, implant.writes.length, 'handshake messages go to control only');
    for (const w of hello) {
      assert.equal(w.writeType, 'write-with-response');
      assert.ok(w.data.length <= 20, `fragment of ${w.data.length} bytes at MTU 23`);
    }
    assert.equal(hello[0].data[0] & 0x80, 0x80, 'START fragment');
    assert.equal(hello[0].data[1], MessageType.HELLO);
    assert.equal((hello[0].data[2] << 8) | hello[0].data[3], 33, 'selector + 32-byte ephemeral key');
    assert.equal(hello[0].data[4], 0x12, 'XX: the first contact with this implant');
    await page.screenshot({ path: join(shots, '2-hello-sent.png') });
    // No notification can be emulated: the app gives up with a plain message.
    await page.locator('[data-test=devices-notice]').getByText('did not answer in time').waitFor({ timeout: 20000 });
    await page.screenshot({ path: join(shots, '3-no-answer.png') });
    await context.close();
  });

  it('transport: the bulk path writes otaData without response, control with response', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = (emulation = await browser.newBrowserCDPSession());
    const implant = await emulateImplant(cdp);
    await answerChooser(page);
    await page.goto(`${url}transport.html`);
    await page.click('#go');
    await page.waitForFunction(() => /^(open|failed)/.test((globalThis as unknown as { document: { title: string } }).document.title));
    assert.equal(await page.title(), 'open 23');
    await page.evaluate(() => {
      const link = (globalThis as unknown as { link: { write(b: Uint8Array): void; writeBulk(b: Uint8Array): void } }).link;
      link.write(Uint8Array.of(0xc0, 1, 0, 1, 0x11));
      link.writeBulk(new Uint8Array(20).fill(0xab));
      link.writeBulk(Uint8Array.of(0x41, 1, 2));
    });
    await until('three writes', () => implant.writes.length >= 3);
    assert.deepEqual(implant.writes.map((w) => [w.characteristic, w.writeType, w.data.length]), [
      ['control', 'write-with-response', 5], ['otaData', 'write-without-response', 20], ['otaData', 'write-without-response', 3],
    ]);
    await context.close();
  });

  it('is an installable PWA that opens offline once loaded (manifest, service worker cache)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    const manifest = (await (await page.request.get(`${url}manifest.webmanifest`)).json()) as { start_url: string; display: string; icons: unknown[] };
    assert.deepEqual([manifest.start_url, manifest.display, manifest.icons.length > 0], ['./', 'standalone', true]);
    const controlled = () => (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null;
    await page.waitForFunction(controlled, null, { timeout: 15000 });
    await context.setOffline(true);
    assert.equal(await page.evaluate(() => fetch('./not-cached').then(() => 'online', () => 'offline')), 'offline', 'the network is gone');
    await page.reload();
    await page.getByText('Find implant').waitFor({ timeout: 10000 });
    await context.close();
  });

  afterEach(async () => {
    await emulation?.send('BluetoothEmulation.disable').catch(() => undefined);
  });
});
