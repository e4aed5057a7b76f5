// A simulated implant reachable over the host BLE shim, for the end-to-end update test and
// `implant ota --sim`: simulated flash and bootloader (SimDevice), and after every boot the real
// GATT adapter, secure channel and update commands on a fresh radio. Programmer sessions write
// `ota.chunk` requests to the OTA data characteristic (write without response), everything else
// to the control characteristic.
import { readFileSync } from 'node:fs';
import { ImplantGattServer } from '../../modules/ble/device-gatt.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { CommandDispatcher } from '../../modules/channel/commands.js';
import type { ChannelGate } from '../../modules/channel/hooks.js';
import { Status } from '../../modules/channel/status.js';
import { updateCommands } from '../../modules/bootloader/commands.js';
import type { OtaLink } from '../../modules/bootloader/ota-client.js';
import type { KeyLookup } from '../../modules/bootloader/signed-manifest.js';
import { ProgrammerClient, type FragmentLink } from '../../modules/programmer/client.js';
import { virtualHost } from '../shims/host-control.js';
import { resetBleRadio, SimulatedCentral, type ServiceJson } from '../ble/radio.js';
import { keyPair } from '../channel/fixture.js';
import { Prng } from '../lib/prng.js';
import { crypto } from './fixture.js';
import { SIM_LAYOUTS, SimDevice, type Running, type SimLayout } from './sim-device.js';

export interface BleWorldOptions {
  readonly keys: KeyLookup;
  /** The image the device runs from the factory (a package). */
  readonly factory: Uint8Array;
  /** Role a programmer session gets, from its static key ('manufacturer' or another). */
  readonly roleOf: (key: Uint8Array, programmers: { manufacturer: Uint8Array; clinician: Uint8Array }) => string;
  readonly layout?: SimLayout;
  readonly vendorId?: Uint8Array;
  readonly classId?: Uint8Array;
}

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;

export type BleWorld = ReturnType<typeof bleWorld>;

export function bleWorld(options: BleWorldOptions) {
  const clock = virtualHost('esp32');
  const prng = new Prng(21);
  const deviceKey = keyPair(prng);
  const programmers = { manufacturer: keyPair(prng), clinician: keyPair(prng) };
  const roleOf = (key: Uint8Array) => options.roleOf(key, { manufacturer: programmers.manufacturer.publicKey, clinician: programmers.clinician.publicKey });
  const gate: ChannelGate = {
    admit: () => Status.OK,
    authenticatePeer: (claim) => ({ ok: true, principal: { role: roleOf(claim.remoteStatic), keyId: claim.remoteStatic.slice(0, 8), staticKey: claim.remoteStatic } }),
  };
  let selfTestPasses = true;
  const open: SimulatedCentral[] = [];
  const dev = new SimDevice({
    layout: options.layout ?? SIM_LAYOUTS[0], keys: options.keys, clock, vendorId: options.vendorId, classId: options.classId,
    selfTest: () => Promise.resolve({ passed: selfTestPasses }),
  });
  dev.install(options.factory);
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
      const link: FragmentLink = {
        get mtu() {
          return central.mtu;
        },
        write: (fragment) => central.write(IMPLANT_GATT.control, fragment),
        writeBulk: (fragment) => central.write(IMPLANT_GATT.otaData, fragment, { withoutResponse: true }),
        listen(onFragment, onClosed) {
          central.onNotification = (n) => n.uuid === IMPLANT_GATT.response && onFragment(n.value);
          central.onDisconnected = onClosed;
        },
      };
      const client = new ProgrammerClient({
        crypto, clock, link, pattern: 'IK', staticKey: programmers[who], certificate: new Uint8Array([0xa0]), deviceStatic: deviceKey.publicKey,
      });
      await client.connect();
      return client;
    },
  };
  return w;
}

