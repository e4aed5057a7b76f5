// A device on the ESP32 layout with a confirmed image (1.0.0, counter 3), ready for an update,
// plus the programmer's moves, for the update tests.
import type { Version } from '../../modules/bootloader/manifest.js';
import { RESTART_DELAY_MS, UPDATE_ROLE } from '../../modules/bootloader/update-service.js';
import type { KeyLookup } from '../../modules/bootloader/signed-manifest.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { image, makePackage, manifestOf, updateKeys, type PackageSpec } from '../../host/fixtures/update-fixture.js';
import { SIM_LAYOUTS, SimDevice, type Running, type SimLayout } from '../../host/fixtures/sim-device.js';

export const CURRENT = Object.freeze({ version: [1, 0, 0] as Version, counter: 3 });
export const BLOCK = 4096;

export interface Harness {
  dev: SimDevice;
  running: Running;
  selfTestPasses: boolean;
}

export async function updatedDevice(options: { keys?: KeyLookup; layout?: SimLayout } = {}): Promise<Harness> {
  const h: Partial<Harness> = { selfTestPasses: true };
  const dev = new SimDevice({
    layout: options.layout ?? SIM_LAYOUTS[0],
    keys: options.keys ?? updateKeys(),
    selfTest: () => Promise.resolve({ passed: h.selfTestPasses! }),
  });
  dev.install(makePackage({ ...CURRENT, image: image(1, 2 * BLOCK + 10) }));
  h.dev = dev;
  h.running = dev.powerOn();
  await h.running.supervisor.start(); // raises the counter to the factory image's
  return h as Harness;
}

export function newPackage(overrides: Partial<PackageSpec> = {}): Uint8Array {
  return makePackage({ version: [1, 1, 0], counter: 4, image: image(2, 3 * BLOCK + 123), ...overrides });
}

/** Sends image bytes [from, to) in chunks of `chunk`. */
export function send(h: Harness, pkg: Uint8Array, from: number, to = splitPackage(pkg).image.length, chunk = 244): void {
  const img = splitPackage(pkg).image;
  for (let at = from; at < to; at += chunk) h.running.service.chunk(UPDATE_ROLE, at, img.subarray(at, Math.min(at + chunk, to)));
}

/** Begins a transfer of `pkg` and sends its whole image: the package is staged. */
export function stage(h: Harness, pkg: Uint8Array): void {
  h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
  send(h, pkg, 0);
}

/** Activates, lets the restart happen, boots, and runs the trial supervisor. */
export async function activateAndReboot(h: Harness): Promise<string> {
  h.running.service.activate(UPDATE_ROLE);
  h.dev.clock.advance(RESTART_DELAY_MS);
  if (!h.dev.restartRequested) throw new Error('activation did not restart');
  return reboot(h);
}

export async function reboot(h: Harness): Promise<string> {
  h.running = h.dev.powerOn();
  return h.running.supervisor.start();
}

/** The parts of the chip a refused package must leave alone: running bank, boot record, storage. */
export function protectedState(h: Harness): Uint8Array[] {
  const slot = h.running.choice.slot!;
  const area = (a: { size: number; read(o: number, n: number): Uint8Array }) => a.read(0, a.size);
  return [area(h.dev.banks[slot]), area(h.dev.bootArea), area(h.dev.storageArea)];
}
