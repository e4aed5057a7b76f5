// Run by entropy-order.test.ts in a fresh Node process (the random source is installed once per
// process): a first boot of the assembled firmware on the device platform over the Moddable
// shims, printing every native entropy call with whether the radio existed at that moment.
import '../../host/shims/xs-globals.js';
import '../../modules/crypto/device-random.js';
import { readFileSync } from 'node:fs';
import { devicePlatform } from '../../modules/app/device-platform.js';
import { startFirmware } from '../../modules/app/firmware.js';
import { resetBleRadio } from '../../host/ble/radio.js';
import type { ServiceJson } from '../../host/ble/radio.js';
import { watchEntropy } from '../../host/shims/host/entropy-model.js';
import { installFlashPartition, installOtaPartitions, setTraceSink, virtualHost } from '../../host/shims/host-control.js';
import { NorFlash } from '../../host/sim/nor-flash.js';

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;

const clock = virtualHost('esp32');
const radio = resetBleRadio();
radio.installServices([service('gap'), service('implant')]);
installFlashPartition('storage', new NorFlash({ size: 0x30000, eraseSize: 4096, writeSize: 1 }));
const sector = (n: number) => new NorFlash({ size: n * 4096, eraseSize: 4096, writeSize: 1 });
installOtaPartitions({ otadata: sector(2), apps: [sector(8), sector(8)] });
const lines: string[] = [];
setTraceSink((text) => lines.push(text));

const calls: { event: string; bootSourceOn: boolean; radio: boolean }[] = [];
watchEntropy(({ event, bootSourceOn }) => calls.push({ event, bootSourceOn, radio: radio.server !== undefined }));
const firmware = startFirmware(devicePlatform());
clock.advance(0);
firmware.stop();
console.log(JSON.stringify({ calls, identityMade: lines.some((l) => l.includes('storage: records mounted (formatted')) }));
