// Firmware entry point (Moddable runs this module at start-up).
// First import: noble decides at load whether to blind, so the hardware RNG must exist before it.
import './modules/crypto/device-random.js';
trace("implant: boot\n");
export {};
