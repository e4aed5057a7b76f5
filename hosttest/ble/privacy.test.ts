// Address privacy through the assembled firmware (startFirmware on a simulated board over the
// BLE shim; docs/privacy.md): the nRF52's stack advertises resolvable private addresses from the
// device's IRK, renewed every 15 minutes of virtual time; only a programmer holding the IRK
// (given in an authenticated session) recognises them, and it finds its implant among other
// advertisers after a rotation. The ESP32's NimBLE host makes the same addresses from the same
// IRK; each of its renewals stops advertising and the GATT server's recheck starts it again. A
// stack that refuses the setting leaves the identity address on the air, and the firmware says so.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EMERGENCY } from '../../modules/access/principal.js';
import { decodeDeviceInfo } from '../../modules/ble/device-info.js';
import { ADMISSION_RECHECK_MS } from '../../modules/ble/device-gatt.js';
import { privacyState } from '../../modules/ble/device-privacy.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { ROTATION_S } from '../../modules/ble/privacy.js';
import { toHex } from '../../modules/core/bytes.js';
import { Status } from '../../modules/channel/status.js';
import { findBonded, requestIrk } from '../../programmer/device-bonds.js';
import type { DeviceBond } from '../../programmer/device-bonds.js';
import { isResolvablePrivate, resolvesWith } from '../../programmer/private-address.js';
import { neighbours } from '../../host/ble/neighbours.js';
import { resetBleRadio, SimulatedCentral } from '../../host/ble/radio.js';
import type { Advertising } from '../../host/ble/radio.js';
import { run } from '../../host/board/drive.js';
import { openSession, programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { keyPair } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';
import FFI from '../../host/shims/mc/ffi.js';
import { virtualHost } from '../../host/shims/host-control.js';

const ROTATION_MS = ROTATION_S * 1000;
const MINUTE = 60_000;

async function nrf52(seed?: number): Promise<Booted> {
  const b = new SimBoard({ board: 'nrf52', ...(seed === undefined ? {} : { seed }) }).boot();
  await run(b.clock, 1000);
  return b;
}

/** The advertiser's address now, as a scanner sees it. */
function seen(b: Booted): Uint8Array {
  const scan = new SimulatedCentral(b.radio).scan();
  assert.ok(scan, 'the implant advertises');
  return scan.address;
}

/** A clinician's programmer that met the implant: it asks for the IRK and keeps it with the device key. */
async function bondedClinician(b: Booted): Promise<DeviceBond> {
  const s = await programmerSession(b);
  const { irk, resolvable, rotationSeconds } = await requestIrk({ request: (name, args) => s.call(name, args as never) });
  await s.close();
  assert.equal(resolvable, true);
  assert.equal(rotationSeconds, ROTATION_S);
  return { deviceStatic: s.opened.deviceStatic, irk };
}

/** A central connects and leaves (each connection is paid from the energy bucket, which a handshake would empty after three). */
async function cycleLink(b: Booted): Promise<void> {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  assert.equal(b.radio.advertising, undefined, 'advertising stopped');
  central.disconnect();
  await run(b.clock, 50);
}

const contains = (haystack: Uint8Array, needle: Uint8Array) => toHex(haystack).includes(toHex(needle));

describe('address privacy through the firmware (nRF52 stack)', () => {
  it('advertises a resolvable private address under the IRK the device made at first boot, never its identity address', async () => {
    const b = await nrf52();
    assert.ok(b.console.some((e) => e.topic === 'radio' && e.text.startsWith('address privacy on')), 'the console says privacy is on');
    const address = seen(b);
    assert.ok(isResolvablePrivate(address));
    assert.notEqual(toHex(address), toHex(b.radio.localAddress), 'the identity address is not on the air');
    const bond = await bondedClinician(b);
    assert.ok(resolvesWith(bond.irk!, address));
    assert.equal(toHex(bond.irk!), toHex(b.firmware.access!.identity.identity().irk), 'the command gives the stored IRK');
    b.firmware.stop();
  });

  it('rotates every 15 minutes of virtual time, never repeating an address in a run (8 h sampled each minute)', async () => {
    const b = await nrf52();
    const samples: string[] = [];
    for (let minute = 0; minute < 8 * 60; minute++) {
      samples.push(toHex(seen(b)));
      await run(b.clock, MINUTE, 1000);
    }
    const changes = samples.flatMap((a, i) => (i > 0 && a !== samples[i - 1] ? [i] : []));
    // Privacy was set ~1 s before the first sample; each renewal falls in the minute that ends a period.
    assert.deepEqual(changes, Array.from({ length: 31 }, (_, k) => (k + 1) * (ROTATION_MS / MINUTE)));
    const distinct = new Set(samples);
    assert.equal(distinct.size, 32, 'every period has its own address');
    const irk = b.firmware.access!.identity.identity().irk;
    for (const a of distinct) assert.ok(resolvesWith(irk, Uint8Array.from(Buffer.from(a, 'hex'))), 'each resolves under the device IRK');
    b.firmware.stop();
  });

  it('consecutive addresses share nothing a stranger can link: no common bits beyond the RPA type, identical payloads, no IRK resolves them', async () => {
    const b = await nrf52();
    const addresses: Uint8Array[] = [];
    const payloads: Advertising[] = [];
    for (let i = 0; i < 12; i++) {
      addresses.push(seen(b));
      payloads.push(b.radio.advertising!);
      await run(b.clock, ROTATION_MS, 5000);
    }
    const other = await nrf52(0x77);
    // The advertising bytes are the same for every implant of the model and every period: they link nothing but the device class.
    for (const p of [...payloads, other.radio.advertising!]) assert.equal(toHex(p.data), toHex(payloads[0].data));
    // Without the IRK an address is 46 random-looking bits: consecutive ones differ in about half of them.
    const distances = addresses.slice(1).map((a, i) => [...a].reduce((n, byte, j) => n + popcount(byte ^ addresses[i][j]), 0));
    const mean = distances.reduce((x, y) => x + y, 0) / distances.length;
    assert.ok(mean > 16 && mean < 30, `mean Hamming distance ${mean} of 46 bits`);
    const strangers = new Prng(3);
    for (let k = 0; k < 500; k++) {
      const guess = strangers.bytes(16);
      assert.ok(!addresses.some((a) => resolvesWith(guess, a)), 'a stranger\'s IRK resolves none');
    }
    const otherIrk = other.firmware.access!.identity.identity().irk;
    assert.ok(!addresses.some((a) => resolvesWith(otherIrk, a)), 'nor does another implant\'s IRK');
    other.firmware.stop();
    b.firmware.stop();
  });

  it('a bonded programmer finds its implant among other advertisers after a rotation and a reboot, and connects by IK', async () => {
    const board = new SimBoard({ board: 'nrf52' });
    let b = board.boot();
    await run(b.clock, 1000);
    const bond = await bondedClinician(b);
    const before = seen(b);
    await run(b.clock, ROTATION_MS + MINUTE, 5000);
    b.firmware.stop();
    b = board.boot(); // a power-on: the same flash, so the same IRK
    await run(b.clock, ROTATION_MS + MINUTE, 5000);
    const prng = new Prng(8);
    b.radio.bystanders.push(...neighbours()); // another implant of the model and a phone
    const central = new SimulatedCentral(b.radio);
    const advertisers = central.scanAll();
    assert.equal(advertisers.length, 3);
    assert.ok(!advertisers.some((a) => toHex(a.address) === toHex(before)), 'the address changed');
    const otherBond: DeviceBond = { deviceStatic: new Uint8Array(32), irk: prng.bytes(16) };
    const found = findBonded(advertisers, [otherBond, bond]);
    assert.equal(found?.bond, bond);
    const s = await openSession(b, 'IK', programmerIdentity('clinician'), { address: found.advertiser.address, deviceStatic: bond.deviceStatic });
    assert.equal((await s.call('access.whoami')).status, Status.OK);
    await s.close();
    b.firmware.stop();
  });

  it('keeps privacy through advertising stops and starts: the same RPA within a period, a fresh one after', async () => {
    const b = await nrf52();
    const first = seen(b);
    for (let i = 0; i < 3; i++) {
      await cycleLink(b); // connecting stops advertising; the disconnect starts it again
      assert.equal(toHex(seen(b)), toHex(first));
    }
    assert.throws(() => b.radio.setPrivacy(new Uint8Array(16), ROTATION_S), /while advertising/, 'the stack takes the setting only before advertising, as the SoftDevice does');
    await run(b.clock, ROTATION_MS, 5000);
    await cycleLink(b);
    const next = seen(b);
    assert.notEqual(toHex(next), toHex(first));
    assert.ok(resolvesWith(b.firmware.access!.identity.identity().irk, next));
    b.firmware.stop();
  });

  it('never shows the IRK before authentication: not in advertising, scan response or device information; refused to the manufacturer and an emergency session', async () => {
    const b = await nrf52();
    const irk = b.firmware.access!.identity.identity().irk;
    const adv = b.radio.advertising!;
    assert.ok(!contains(adv.data, irk) && adv.scanResponse === undefined);
    const central = new SimulatedCentral(b.radio);
    central.connect();
    const info = central.read(IMPLANT_GATT.deviceInfo);
    assert.ok(decodeDeviceInfo(info) && !contains(info, irk));
    central.disconnect();
    await run(b.clock, 50);
    const manufacturer = await programmerSession(b, programmerIdentity('manufacturer', 7));
    assert.equal((await manufacturer.call('radio.irk.get')).status, Status.DENIED);
    await manufacturer.close();
    const stranger = { staticKey: keyPair(new Prng(4)), certificate: new Uint8Array(0) };
    await assert.rejects(openSession(b, 'IK', stranger), 'an unknown key gets no session');
    b.button(true);
    await run(b.clock, EMERGENCY.ARM_HOLD_MS);
    const emergency = await openSession(b, 'XX', stranger);
    assert.equal((await emergency.call('radio.irk.get')).status, Status.DENIED);
    await emergency.close();
    b.button(false);
    b.firmware.stop();
  });
});

describe('address privacy through the firmware (ESP32 stack: NimBLE host-based privacy)', () => {
  async function esp32(): Promise<Booted> {
    const b = new SimBoard().boot();
    await run(b.clock, 1000);
    return b;
  }

  it("advertises a resolvable private address under the device IRK: NimBLE takes it at its sync, before the SDK's ready event picks the random address", async () => {
    const b = await esp32();
    assert.ok(b.console.some((e) => e.topic === 'radio' && e.text.startsWith('address privacy on')), 'the console says privacy is on');
    assert.equal(b.radio.ownAddressType, 'random', "the SDK's server took the random address type");
    const address = seen(b);
    assert.ok(isResolvablePrivate(address));
    assert.notEqual(toHex(address), toHex(b.radio.localAddress), 'the identity address is not on the air');
    const bond = await bondedClinician(b);
    assert.equal(toHex(bond.irk!), toHex(b.firmware.access!.identity.identity().irk));
    assert.ok(resolvesWith(bond.irk!, address));
    b.firmware.stop();
  });

  it('each renewal stops advertising (the host preempts it) and the GATT server starts it again within its 1 s recheck, under the new address (2 h)', async () => {
    const b = await esp32();
    const irk = b.firmware.access!.identity.identity().irk;
    const payload = toHex(b.radio.advertising!.data);
    const addresses = [toHex(seen(b))];
    for (let k = 1; k <= 8; k++) {
      const due = b.radio.renewedAt! + ROTATION_MS;
      await run(b.clock, due - 1 - b.clock.now(), 1000);
      assert.equal(toHex(seen(b)), addresses.at(-1), 'the same address until the renewal');
      await run(b.clock, 1, 1);
      assert.equal(b.radio.advertisingStops, k, 'the renewal stopped advertising');
      while (!b.radio.advertising && b.clock.now() - due <= ADMISSION_RECHECK_MS) await run(b.clock, 10, 10);
      assert.ok(b.radio.advertising, `advertising again within the recheck (${ADMISSION_RECHECK_MS} ms) after the renewal`);
      const address = seen(b);
      assert.ok(resolvesWith(irk, address), 'the new address resolves under the device IRK');
      assert.equal(toHex(b.radio.advertising.data), payload, 'the same advertisement');
      addresses.push(toHex(address));
    }
    assert.equal(new Set(addresses).size, 9, 'every period has its own address');
    b.firmware.stop();
  });

  it('keeps the RPA through connection stops and starts within a period; a renewal during a link shows on the next advertisement', async () => {
    const b = await esp32();
    const first = seen(b);
    for (let i = 0; i < 3; i++) {
      await cycleLink(b);
      assert.equal(toHex(seen(b)), toHex(first));
    }
    const due = b.radio.renewedAt! + ROTATION_MS;
    await run(b.clock, due - 2000 - b.clock.now(), 1000);
    const central = new SimulatedCentral(b.radio);
    central.connect();
    await run(b.clock, 3000, 100);
    assert.ok(central.connected && b.radio.renewedAt === due, 'the address was renewed during the link');
    assert.equal(b.radio.advertisingStops, 0, 'not advertising while connected: nothing to stop');
    central.disconnect();
    await run(b.clock, 50);
    const next = seen(b);
    assert.notEqual(toHex(next), toHex(first));
    assert.ok(resolvesWith(b.firmware.access!.identity.identity().irk, next));
    b.firmware.stop();
  });
});

describe('a refused privacy setting', () => {
  for (const [board, code] of [['esp32', 12], ['nrf52', 8]] as const) {
    it(`is reported as a fault with the stack's code and no privacy, on the air and in radio.irk.get (${board})`, async () => {
      const sim = new SimBoard({ board });
      sim.privacyRefusal = code; // BLE_HS_ECONTROLLER from NimBLE, NRF_ERROR_INVALID_STATE from the SoftDevice
      const b = sim.boot();
      await run(b.clock, 1000);
      assert.ok(b.console.some((e) => e.topic === 'fault' && e.text === `NO address privacy: the stack refused the setting (status ${-code})`));
      assert.equal(toHex(seen(b)), toHex(b.radio.localAddress), 'the identity address is on the air, and the firmware said so');
      const s = await programmerSession(b);
      const { resolvable } = await requestIrk({ request: (name, args) => s.call(name, args as never) });
      assert.equal(resolvable, false);
      await s.close();
      b.firmware.stop();
    });
  }
});

describe('the NimBLE privacy model (host/ble/radio.ts under mc/ffi, as privacy-esp32.c drives it)', () => {
  const port = { dispatch: () => undefined };
  const ADV: Advertising = { connectable: true, flags: 6, data: Uint8Array.of(2, 1, 6), scanResponse: undefined, interval: { min: 48, max: 96 }, filterPolicy: 0 };

  it("is pending until the host syncs; a request after the SDK's ready event is reported as the identity address (the server took the public type)", () => {
    const clock = virtualHost('esp32');
    let radio = resetBleRadio();
    radio.attach(port, false);
    const ffi = new FFI();
    assert.equal(ffi.implant_ble_privacy(new Uint8Array(16).fill(7).buffer, ROTATION_S), 3, 'pending: the host has not synced');
    assert.equal(ffi.implant_ble_privacy_state(), 3);
    clock.advance(0);
    assert.deepEqual(privacyState(), { state: 'rpa', code: 0 });

    radio = resetBleRadio();
    radio.attach(port, false);
    clock.advance(0); // the ready event first: no random address yet, so the public type
    assert.equal(ffi.implant_ble_privacy(new Uint8Array(16).fill(7).buffer, ROTATION_S), 0, 'synced: applied at once');
    assert.deepEqual(privacyState(), { state: 'identity-address', code: 2 });
    assert.equal(toHex(radio.airAddress()), toHex(radio.localAddress));
    assert.equal(ffi.implant_ble_privacy(new ArrayBuffer(16), 0), -2, 'a zero period is refused');
    assert.deepEqual(privacyState(), { state: 'fault', code: -2 });
  });

  it('over any schedule of advertising and time: an address resolving under the IRK, a new one exactly at each renewal, which stops advertising if it ran (property)', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.array(fc.oneof(fc.constant('start' as const), fc.constant('stop' as const), fc.integer({ min: 1, max: 2 * ROTATION_MS })), { maxLength: 30 }),
      (irk, steps) => {
        const clock = virtualHost('esp32');
        const radio = resetBleRadio();
        radio.attach(port, false);
        const ffi = new FFI();
        ffi.implant_ble_privacy(irk.slice().buffer, ROTATION_S);
        clock.advance(0);
        const since = clock.now();
        const period = () => Math.floor((clock.now() - since) / ROTATION_MS);
        let advertising = false;
        let stops = 0;
        let address = toHex(radio.airAddress());
        for (const step of steps) {
          if (step === 'start') {
            radio.startAdvertising(ADV);
            advertising = true;
          } else if (step === 'stop') {
            radio.stopAdvertising();
            advertising = false;
          } else {
            const before = period();
            clock.advance(step);
            const renewed = period() > before;
            if (renewed && advertising) {
              stops++;
              advertising = false;
            }
            assert.equal(toHex(radio.airAddress()) !== address, renewed, 'the address changes exactly when a period ends');
            address = toHex(radio.airAddress());
          }
          assert.equal(radio.advertisingStops, stops);
          assert.equal(ffi.implant_ble_adv_active(), advertising ? 1 : 0);
          assert.ok(resolvesWith(Uint8Array.from(irk), radio.airAddress()));
        }
      },
    ), { numRuns: 200 });
  });
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
