// The device's platform (modules/app/device-platform.ts) over the Moddable shims, as main.ts
// wires it: the real therapy worker module in the worker shim's thread, the "storage" flash
// partition, the ESP32 OTA partitions (otadata model, "running"/"nextota"), the GATT server on the simulated radio, the magnet button on a GPIO line, and the
// console on trace().
import '../../host/shims/xs-globals.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConsoleLine } from '../../host/console-line.js';
import type { ConsoleEvent } from '../../modules/app/console.js';
import { devicePlatform } from '../../modules/app/device-platform.js';
import { startFirmware } from '../../modules/app/firmware.js';
import type { Firmware } from '../../modules/app/firmware.js';
import { PIN_MAPS } from '../../modules/therapy/pin-maps.js';
import { resetBleRadio } from '../../host/ble/radio.js';
import type { ServiceJson } from '../../host/ble/radio.js';
import { installFlashPartition, installOtaPartitions, pins, setTraceSink, virtualHost } from '../../host/shims/host-control.js';
import { NorFlash } from '../../host/sim/nor-flash.js';

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;

describe('app: the device platform over the Moddable shims', () => {
  let firmware: Firmware | undefined;
  afterEach(() => firmware?.stop());

  it('boots the firmware: worker machine, storage partition, radio, presence button, console', async () => {
    const clock = virtualHost('esp32');
    const radio = resetBleRadio();
    radio.installServices([service('gap'), service('implant')]);
    const storage = new NorFlash({ size: 0x30000, eraseSize: 4096, writeSize: 1 });
    installFlashPartition('storage', storage);
    const sector = (n: number) => new NorFlash({ size: n * 4096, eraseSize: 4096, writeSize: 1 });
    installOtaPartitions({ otadata: sector(2), apps: [sector(8), sector(8)] });
    const events: ConsoleEvent[] = [];
    const other: string[] = [];
    setTraceSink((text) => {
      for (const line of text.split('\n').filter(Boolean)) {
        const event = parseConsoleLine(line);
        if (event) events.push(event);
        else other.push(line);
      }
    });

    firmware = startFirmware(devicePlatform());
    clock.advance(0); // the BLE stack's onReady
    const said = events.map((e) => `${e.topic}: ${e.text}`);
    assert.deepEqual(other, [], 'every console line follows the documented format');
    assert.ok(said.some((l) => l.startsWith('storage: records mounted (formatted')), said.join('\n'));
    assert.ok(said.includes('radio: advertising as "Implant" (connectable; no identifying data)'), said.join('\n'));
    assert.ok(said.includes('update: running bank 0 (unsigned development image), security counter 0'), said.join('\n'));
    assert.deepEqual(said.filter((l) => l.startsWith('fault:')), [], 'no step of the boot failed');
    assert.ok(storage.programs > 0, 'storage lives on the "storage" partition');
    assert.ok(radio.advertising?.connectable);

    assert.equal(firmware.therapy.mode, 'worker');
    const reply = await firmware.therapy.request({ op: 'interrogate' });
    assert.ok(reply.ok, 'the device worker module answers from its own thread');

    const magnet = PIN_MAPS['esp32-devkitc'].magnet;
    pins().drive(magnet, 1);
    clock.advance(200);
    assert.equal(firmware.access!.presence.isHeld(), false);
    pins().drive(magnet, 0); // the button pulls the line low
    clock.advance(200);
    assert.equal(firmware.access!.presence.isHeld(), true, 'the debounced button is physical presence');
  });
});
