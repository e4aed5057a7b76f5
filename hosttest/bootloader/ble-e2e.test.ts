// An update end to end over the host BLE shim: the real GATT adapter, the secure channel and
// the command dispatcher on the device; the programmer client and the OTA client on the other
// side. Image chunks go over the OTA data characteristic (write without response). The link is
// cut mid-transfer and the programmer resumes; the device trial-boots, self-tests and confirms;
// in a second run the self-test fails and the device reverts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ImplantGattServer } from '../../modules/ble/device-gatt.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { CommandDispatcher } from '../../modules/channel/commands.js';
import type { ChannelGate } from '../../modules/channel/hooks.js';
import { Status } from '../../modules/channel/status.js';
import { updateCommands } from '../../modules/bootloader/commands.js';
import { OtaError, sendUpdate, type OtaLink } from '../../modules/bootloader/ota-client.js';
import { UpdateStatus } from '../../modules/bootloader/status.js';
import { ProgrammerClient, type FragmentLink } from '../../modules/programmer/client.js';
import { equalBytes } from '../../modules/core/bytes.js';
import { virtualHost } from '../shims/host-control.js';
import { resetBleRadio, SimulatedCentral, type ServiceJson } from '../ble/radio.js';
import { keyPair } from '../channel/fixture.js';
import { Prng } from '../lib/prng.js';
import { crypto, image, makePackage, updateKeys } from './fixture.js';
import { SIM_LAYOUTS, SimDevice, type Running } from './sim-device.js';

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;
const BLOCK = 4096;

/** The device: simulated flash and bootloader, and after each boot its GATT server on a fresh radio. */
function world(roleOf: (key: Uint8Array) => string) {
  const clock = virtualHost('esp32');
  const prng = new Prng(21);
  const deviceKey = keyPair(prng);
  const programmers = { manufacturer: keyPair(prng), clinician: keyPair(prng) };
  const gate: ChannelGate = {
    admit: () => Status.OK,
    authenticatePeer: (claim) => ({ ok: true, principal: { role: roleOf(claim.remoteStatic), keyId: claim.remoteStatic.slice(0, 8), staticKey: claim.remoteStatic } }),
  };
  let selfTestPasses = true;
  const open: SimulatedCentral[] = [];
  const dev = new SimDevice({ layout: SIM_LAYOUTS[0], keys: updateKeys(), clock, selfTest: () => Promise.resolve({ passed: selfTestPasses }) });
  dev.install(makePackage({ version: [1, 0, 0], counter: 3, image: image(1, 2 * BLOCK) }));
  const w = {
    clock, dev, deviceKey, programmers,
    running: undefined as unknown as Running,
    radio: resetBleRadio(),
    setSelfTest: (passes: boolean) => void (selfTestPasses = passes),
    /** Power-on: bootloader, trial supervisor, then the radio comes up. */
    async boot(): Promise<string> {
      w.running = dev.powerOn();
      const outcome = await w.running.supervisor.start();
      w.radio = resetBleRadio();
      w.radio.maxMtu = 247;
      w.radio.installServices([service('gap'), service('implant')]);
      const dispatcher = new CommandDispatcher({ commands: updateCommands(w.running.service), policy: { authorize: () => Status.OK } });
      new ImplantGattServer({
        clock, crypto, staticKey: deviceKey, gate, dispatcher, physicalPresence: () => true,
        deviceInfo: () => ({ model: 'IMPLANT-SIM', protocol: 1, firmware: '1.0.0', pairingOpen: false, selectors: [0x11] }),
      });
      clock.advance(0);
      return outcome;
    },
    /** A programmer session; chunk requests are written to the OTA data characteristic. */
    async connect(who: keyof typeof programmers, centrals: SimulatedCentral[] = []): Promise<OtaLink> {
      for (const old of open.splice(0)) old.disconnect(); // one programmer at a time
      w.clock.advance(0);
      const central = new SimulatedCentral(w.radio);
      centrals.push(central);
      open.push(central);
      central.connect();
      central.exchangeMtu(247);
      central.pair();
      central.enableNotifications(IMPLANT_GATT.response);
      let route: string = IMPLANT_GATT.control;
      const link: FragmentLink = {
        get mtu() {
          return central.mtu;
        },
        write: (fragment) => central.write(route, fragment, { withoutResponse: route === IMPLANT_GATT.otaData }),
        listen(onFragment, onClosed) {
          central.onNotification = (n) => n.uuid === IMPLANT_GATT.response && onFragment(n.value);
          central.onDisconnected = onClosed;
        },
      };
      const client = new ProgrammerClient({
        crypto, clock, link, pattern: 'IK', staticKey: programmers[who], certificate: new Uint8Array([0xa0]), deviceStatic: deviceKey.publicKey,
      });
      await client.connect();
      return {
        request(name, args) {
          route = name === 'ota.chunk' ? IMPLANT_GATT.otaData : IMPLANT_GATT.control;
          const answer = client.request(name, args); // writes its fragments before it awaits
          route = IMPLANT_GATT.control;
          return answer;
        },
      };
    },
  };
  return w;
}

async function restartAfterActivation(w: ReturnType<typeof world>): Promise<string> {
  w.clock.advance(1000);
  assert.ok(w.dev.restartRequested, 'the device restarts after activation');
  return w.boot();
}

describe('update end to end over the BLE shim', () => {
  it('sign, transfer with a dropped link and a resume, trial boot, self-test, confirm', async () => {
    const w = world((key) => (equalBytes(key, w.programmers.manufacturer.publicKey) ? 'manufacturer' : 'clinician'));
    await w.boot();
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(9, 3 * BLOCK + 777) });
    const centrals: SimulatedCentral[] = [];
    let dropped = false;
    const seen: number[] = [];
    const { resumes } = await sendUpdate(pkg, {
      connect: () => w.connect('manufacturer', centrals),
      onProgress: (p) => {
        seen.push(p.committed);
        if (!dropped && p.committed >= 2 * BLOCK) {
          dropped = true;
          centrals.at(-1)!.disconnect(); // out of range, mid-transfer
          w.clock.advance(0);
        }
      },
    });
    assert.equal(resumes, 1);
    assert.ok(seen.includes(2 * BLOCK), 'resumed at the committed block');
    assert.equal(seen.at(-1), 3 * BLOCK + 777);
    assert.equal(await restartAfterActivation(w), 'confirmed');
    assert.deepEqual(w.running.choice.manifest?.manifest.version, [1, 1, 0]);
    assert.equal(w.running.counter.read(), 4);
    const status = await (await w.connect('manufacturer')).request('ota.status');
    assert.deepEqual((status.result as Map<string, unknown>).get('running'), [1, 1, 0]);
  });

  it('a failing self-test reverts to the old image; a clinician cannot update at all', async () => {
    const w = world((key) => (equalBytes(key, w.programmers.manufacturer.publicKey) ? 'manufacturer' : 'clinician'));
    await w.boot();
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(9, 3 * BLOCK + 777) });
    await assert.rejects(sendUpdate(pkg, { connect: () => w.connect('clinician') }), (e: unknown) => e instanceof OtaError && e.status === UpdateStatus['wrong-role']);
    await sendUpdate(pkg, { connect: () => w.connect('manufacturer') });
    w.setSelfTest(false);
    assert.equal(await restartAfterActivation(w), 'reverted');
    assert.equal(await w.boot(), 'not-on-trial');
    assert.deepEqual(w.running.choice.manifest?.manifest.version, [1, 0, 0]);
    assert.equal(w.running.counter.read(), 3);
  });
});
