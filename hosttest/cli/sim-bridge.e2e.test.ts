// End to end through `npm start` as a user runs it: the simulator in a child process on a free
// port with a new state directory (development identities made, the device provisioned through
// the protocol), its bridge's refusals, then the CLI programmer over the bridge: pair in the
// window with the same code on both sides, interrogate, program the lower rate and see the
// marker rate follow, audit export and verify (and a tampered export refused), an update with
// a dropped link that resumes, trial-boots and confirms, and a restart of the simulator that
// resumes from the stored state; and radio-level admission as shipped: locked out, the device
// is not connectable through the bridge until presence is held. Assertions are on what the
// device answers; every wait is bounded.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { cli, startSim } from './sim-process.js';
import type { RunningSim } from './sim-process.js';

/** Opens a socket to `path`; resolves with how the simulator ended it (or 'open'), after `send`. */
function socketOutcome(sim: RunningSim, path: string, options: { origin?: string; send?: string[] } = {}): Promise<{ code?: number; reason?: string; status?: number; replies: string[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${sim.url}${path}`, options.origin ? { origin: options.origin } : {});
    const replies: string[] = [];
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, replies }));
    ws.on('open', () => options.send?.forEach((frame) => ws.send(frame)));
    ws.on('message', (data) => replies.push(String(data)));
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason), replies }));
    setTimeout(() => {
      ws.terminate();
      resolve({ replies });
    }, 5000);
  });
}

/** Milliseconds from each ventricular event to the next ventricular pace: the escape interval. */
function escapeIntervals(markers: { t: number; type: string }[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < markers.length; i++) {
    const prev = markers.slice(0, i).reverse().find((m) => /^V[PS]/.test(m.type));
    if (markers[i].type.startsWith('VP') && prev) out.push(markers[i].t - prev.t);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('implant run + the CLI over the bridge (end to end)', function () {
  this.timeout(240_000);
  let dir: string;
  let sim: RunningSim;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'implant-e2e-'));
    sim = await startSim(join(dir, 'state'), { fresh: true });
    await sim.waitFor((l) => l.topic === 'simulator' && l.text.startsWith('factory: device provisioned'), 30_000);
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.error(`simulator stderr:\n${sim.stderr().slice(-3000)}\nlast lines:\n${sim.lines.slice(-15).map((l) => JSON.stringify(l)).join('\n')}`);
  });

  after(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves its status and the DEVELOPMENT KEYS on 127.0.0.1, and refuses other origins and hosts', async () => {
    const base = `http://127.0.0.1:${sim.port}`;
    const state = (await (await fetch(`${base}/api/sim`)).json()) as Record<string, unknown>;
    assert.equal(state.provisioned, true);
    assert.equal(state.devIdentities, true);
    assert.ok((state.scenarios as string[]).includes(state.scenario as string));
    const ids = (await (await fetch(`${base}/api/dev-identities`)).json()) as Record<string, any>;
    assert.equal(ids.label, 'DEVELOPMENT KEYS');
    assert.match(ids.clinician.keyPem, /BEGIN PRIVATE KEY/);
    assert.match(ids.device.publicKey, /^[0-9a-f]{64}$/);
    assert.equal((await fetch(`${base}/api/dev-identities`, { headers: { origin: 'http://evil.example' } })).status, 403);
    assert.equal((await fetch(`${base}/%E0%A4%A`)).status, 400);
    assert.equal((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status, 400);
    assert.equal((await socketOutcome(sim, '/bridge', { origin: 'http://evil.example' })).status, 403);
    assert.equal((await socketOutcome(sim, '/control', { origin: `http://localhost:${sim.port + 1}` })).status, 403);
  });

  it('closes a socket that sends malformed, unknown or oversized frames, naming the reason', async () => {
    const malformed = await socketOutcome(sim, '/bridge', { send: ['{not json'] });
    assert.deepEqual([malformed.code, malformed.reason], [1003, 'malformed JSON']);
    const unknown = await socketOutcome(sim, '/bridge', { send: [JSON.stringify({ id: 1, op: 'format-flash' })] });
    assert.deepEqual([unknown.code, unknown.reason], [1003, 'unknown op "format-flash"']);
    const badField = await socketOutcome(sim, '/control', { send: [JSON.stringify({ id: 1, op: 'battery', status: 'FULL' })] });
    assert.equal(badField.code, 1003);
    assert.match(badField.reason!, /^battery: status must be/);
    const big = await socketOutcome(sim, '/bridge', { send: [JSON.stringify({ id: 1, op: 'discover', pad: 'x'.repeat(5000) })] });
    assert.equal(big.code, 1009);
  });

  it('lets one central at a time connect', async () => {
    const first = new WebSocket(`${sim.url}/bridge`);
    await new Promise((resolve) => first.once('open', resolve));
    const connected = new Promise<string>((resolve) => first.once('message', (d) => resolve(String(d))));
    first.send(JSON.stringify({ id: 7, op: 'connect' }));
    // The peer's address comes back: on the simulated ESP32 a resolvable private address (NimBLE host
    // privacy, docs/privacy.md; least significant byte first, so the top bits 01 are in the last byte), never its identity address.
    const { address, ...reply } = JSON.parse(await connected);
    assert.deepEqual(reply, { id: 7, ok: true, mtu: 23 });
    assert.match(address, /^[0-9a-f]{10}[4-7][0-9a-f]$/);
    assert.notEqual(address, '665544332211');
    const second = await socketOutcome(sim, '/bridge');
    assert.deepEqual([second.code, second.reason], [1013, 'one central at a time']);
    first.close();
    await new Promise((resolve) => first.once('close', resolve));
  });

  it('pairs a phone inside the window: the code the CLI shows is the code the device shows', async () => {
    const bonds = join(dir, 'bonds.json');
    const r = await cli('pair', '--sim', sim.url, '--press', '--bonds', bonds, '--json');
    assert.equal(r.code, 0, r.err);
    const result = r.json();
    assert.match(result.code, /^\d{6}$/);
    assert.equal(result.deviceCode, result.code);
    assert.equal(result.role, 'patient');
    assert.match(r.err, /DEVELOPMENT KEYS/);
    const device = await sim.waitFor((l) => l.topic === 'access' && l.text.includes(`pairing code ${result.code}`), 5000);
    assert.ok(device);
    // The simulated ESP32 advertises resolvable private addresses (docs/privacy.md): the bond keeps the
    // implant's IRK, and the phone finds its implant by it among the other advertisers on the air.
    assert.equal(result.bond, 'irk');
    const stored = JSON.parse(readFileSync(bonds, 'utf8'));
    assert.equal(stored.bonds[0].deviceKey, result.deviceKey);
    const again = await cli('whoami', '--sim', sim.url, '--as', 'patient', '--bonds', bonds, '--json');
    assert.equal(again.code, 0, again.err);
    assert.equal(again.json().role, 'patient');
  });

  it('interrogates, refuses programming without presence, and programs the lower rate, which the markers follow', async () => {
    const status = await cli('interrogate', '--sim', sim.url, '--json');
    assert.equal(status.code, 0, status.err);
    assert.equal(status.json().battery, 'BOL');
    const refused = await cli('program', '--sim', sim.url, '--set', 'lrl=70', '--json');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /PRESENCE_REQUIRED/);
    const programmed = await cli('program', '--sim', sim.url, '--set', 'mode=VVI', '--set', 'lrl=70', '--presence', '--json');
    assert.equal(programmed.code, 0, programmed.err);
    const temporary = await cli('temporary', '--sim', sim.url, '--set', 'lrl=90', '--presence', '--json');
    assert.equal(temporary.code, 0, temporary.err);
    const after = (await cli('interrogate', '--sim', sim.url, '--json')).json();
    assert.equal(after.temporary, null, 'temporary parameters end with the session that set them');
    assert.equal(after.permanent.lrl, 70);
    assert.equal(after.permanent.mode, 'VVI');
    // The heart beats at 40 bpm: the device paces one lower-rate interval (857 ms) after each ventricular event.
    const follow = await cli('markers', '--sim', sim.url, '--count', '0', '--follow', '--seconds', '8', '--json');
    assert.equal(follow.code, 0, follow.err);
    const markers = follow.out.trim().split('\n').slice(0, -1).map((l) => JSON.parse(l) as { t: number; type: string });
    assert.ok(markers.some((m) => m.type.startsWith('VS')), "the virtual heart's own beats reach the sense pin");
    const intervals = escapeIntervals(markers);
    assert.ok(intervals.length >= 4, `escape intervals seen: ${intervals}`);
    // Real time on a shared machine: a timer may fire late, so 25 ms of slack, still far from 65 ppm's 923 ms.
    assert.ok(Math.abs(median(intervals) - 857) <= 25, `median escape interval ${median(intervals)} ms: ${intervals}`);
  });

  it('exports the audit log, verifies it, and names the first entry of a tampered export', async () => {
    const file = join(dir, 'audit.json');
    const r = await cli('audit', '--sim', sim.url, '--export', file, '--verify', '--json');
    assert.equal(r.code, 0, r.err);
    const summary = r.json();
    assert.equal(summary.complete, true);
    assert.equal(summary.verify.chain, 'valid');
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    // The factory's provisioning and the programming above are in it, with who did them.
    const did = (detail: string, role: string) => exported.entries.some((e: any) => e.event === 'command' && e.detail === detail && e.actor.role === role);
    assert.ok(did('access.provision', 'manufacturer') && did('therapy.program', 'clinician'));
    assert.equal((await cli('audit', '--verify', file)).code, 0);
    exported.entries[2].detail = `${exported.entries[2].detail ?? ''} (edited)`;
    writeFileSync(file, JSON.stringify(exported));
    const tampered = await cli('audit', '--verify', file, '--json');
    assert.equal(tampered.code, 1);
    assert.equal(tampered.json().firstBad.seq, exported.entries[2].seq);
  });

  it('sends a signed update over a link that drops, resumes, trial-boots and confirms', async () => {
    const image = new Uint8Array(96 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
    image[0] = 0xe9; // an ESP32 app image header's magic byte
    const bin = join(dir, 'app.bin');
    const pkg = join(dir, 'app.pkg');
    writeFileSync(bin, image);
    const signed = await cli('sign', '--key', join(dir, 'state', 'dev-keys', 'root.key.pem'), '--version', '1.2.0', '--counter', '1', bin, '-o', pkg);
    assert.equal(signed.code, 0, signed.err);
    const r = await cli('ota', pkg, '--sim', sim.url, '--drop-at', '30000', '--json');
    assert.equal(r.code, 0, r.err + r.out);
    const result = r.json();
    assert.equal(result.sent, image.length);
    assert.ok(result.resumes >= 1);
    assert.deepEqual([result.trial, result.running], ['confirmed', '1.2.0']);
    await sim.waitFor((l) => l.topic === 'update' && l.text.includes('trial boot confirmed'), 5000);
    // The reboot kept the bond, the parameters and the audit log.
    const bonds = await cli('unbond', '--sim', sim.url, '--list', '--json');
    assert.equal(bonds.json().bonds.length, 1);
    assert.equal((await cli('interrogate', '--sim', sim.url, '--json')).json().permanent.lrl, 70);
  });

  it('sets the time, and unbonds the phone, which then cannot open a session', async () => {
    assert.equal((await cli('time', 'set', 'now', '--sim', sim.url, '--json')).code, 0);
    assert.equal((await cli('unbond', '--sim', sim.url, '--json')).code, 0);
    const stranger = await cli('interrogate', '--sim', sim.url, '--as', 'patient', '--json');
    assert.equal(stranger.code, 4);
    assert.match(stranger.err, /AUTH_FAILED/, 'an unknown key gets the same code as a HELLO for another implant');
  });

  it('drives the board from /control: battery, heart scenario, reset button and power cut', async () => {
    const ws = new WebSocket(`${sim.url}/control`);
    await new Promise((resolve) => ws.once('open', resolve));
    const replies = new Map<number, any>();
    const consoleLines: { topic: string; text: string }[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.event === 'console') consoleLines.push(frame);
      else replies.set(frame.id, frame);
    });
    const request = async (id: number, frame: Record<string, unknown>) => {
      ws.send(JSON.stringify({ id, ...frame }));
      for (let waited = 0; !replies.has(id) && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      return replies.get(id);
    };
    assert.equal((await request(1, { op: 'battery', status: 'ERN' })).ok, true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await cli('interrogate', '--sim', sim.url, '--json')).json().battery, 'ERN');
    assert.equal((await request(2, { op: 'scenario', name: 'complete-av-block' })).ok, true);
    const state = await request(3, { op: 'state' });
    assert.deepEqual([state.scenario, state.battery, state.button], ['complete-av-block', { voltage: 2.6, status: 'ERN' }, false]);
    const boots = () => consoleLines.filter((l) => l.topic === 'boot' && l.text.startsWith('IMPLANT-DEV firmware')).length;
    for (const [id, op] of [[4, 'reboot'], [5, 'power-cut']] as const) {
      const before = boots();
      assert.equal((await request(id, { op })).ok, true);
      for (let waited = 0; boots() === before && waited < 15000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      assert.equal(boots(), before + 1, `${op}: the board booted again`);
    }
    ws.close();
  });

  it('stops cleanly on Ctrl-C and a restart resumes from the stored state', async () => {
    assert.equal(await sim.stop(), 0);
    sim = await startSim(join(dir, 'state'), { fresh: false });
    await sim.waitFor((l) => l.topic === 'storage' && /audit log mounted: \d+ entries/.test(l.text), 30_000);
    const whoami = await cli('whoami', '--sim', sim.url, '--json');
    assert.equal(whoami.code, 0, whoami.err);
    assert.equal(whoami.json().role, 'clinician');
    assert.ok(!sim.lines.some((l) => l.text.startsWith('factory:')), 'a provisioned device is not provisioned again');
  });
});

describe('radio-level admission over the bridge (end to end)', function () {
  this.timeout(120_000);
  let dir: string;
  let sim: RunningSim;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'implant-e2e-admission-'));
    sim = await startSim(join(dir, 'state'), { fresh: true });
    await sim.waitFor((l) => l.topic === 'simulator' && l.text.startsWith('factory: device provisioned'), 30_000);
  });

  after(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops being connectable after three failed authentications, until presence is held', async () => {
    const stranger = join(dir, 'stranger');
    assert.equal((await cli('keygen', '--kind', 'programmer', '--out', stranger)).code, 0);
    const ids = (await (await fetch(`http://127.0.0.1:${sim.port}/api/dev-identities`)).json()) as { device: { publicKey: string } };
    writeFileSync(join(dir, 'device.hex'), ids.device.publicKey);
    const from = sim.lines.length;
    for (let i = 0; i < 3; i++) {
      const r = await cli('whoami', '--sim', sim.url, '--key', `${stranger}.key.pem`, '--device-key', join(dir, 'device.hex'), '--json');
      assert.equal(r.code, 4, r.err);
    }
    // The device says when it stops advertising (after it has handled the last link loss): wait for that line, not for a time.
    await sim.waitFor((l) => sim.lines.indexOf(l) >= from && l.topic === 'radio' && /^not advertising/.test(l.text), 15_000);
    const connect = () => new Promise<any>((resolve) => {
      const ws = new WebSocket(`${sim.url}/bridge`);
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, op: 'connect' })));
      ws.once('message', (data) => {
        resolve(JSON.parse(String(data)));
        ws.close();
      });
    });
    assert.deepEqual(await connect(), { id: 1, ok: false, error: 'not connectable' });
    const locked = await cli('whoami', '--sim', sim.url, '--json');
    assert.equal(locked.code, 3, 'the clinician cannot reach a locked-out device either');
    // Presence bypasses the lockout: the device advertises again while the button is held.
    const control = new WebSocket(`${sim.url}/control`);
    await new Promise((resolve) => control.once('open', resolve));
    control.send(JSON.stringify({ id: 1, op: 'button', held: true }));
    let reply: any;
    for (let waited = 0; waited < 3000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      reply = await connect();
      if (reply.ok) break;
    }
    control.send(JSON.stringify({ id: 2, op: 'button', held: false }));
    control.close();
    assert.equal(reply.ok, true, JSON.stringify(reply));
  });
});
