// Firmware entry point (Moddable runs this module at start-up): the device's platform, handed
// to the composition root, which starts therapy first and everything else after it.
// First import: noble decides at load whether to blind, so the hardware RNG must exist before it.
import './modules/crypto/device-random.js';
import { devicePlatform } from './modules/app/device-platform.js';
import { startFirmware } from './modules/app/firmware.js';

startFirmware(devicePlatform());
