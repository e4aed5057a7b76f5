// When the hardware random source is truly random (issue: first-boot keys are drawn before the
// radio starts). ESP32's RNG is a true source only while RF runs or the bootloader's entropy
// source is on, and that source must be off again before the radio starts; nRF52's CryptoCell
// TRNG needs its library initialised. So: the first draw before the radio turns the boot
// entropy source on, and the radio's start turns it off. Portable; device-random.ts binds it
// to the native calls (modules/crypto/native/random.c).

export interface EntropyHardware {
  /** Turns the boot entropy source on (ESP32 bootloader_random_enable, nRF52 nrf_crypto_init). */
  begin(): void;
  /** Turns it off before the radio takes over (ESP32 bootloader_random_disable). */
  end(): void;
  /** Fills every byte from the RNG. */
  fill(bytes: Uint8Array): void;
}

export interface EntropyGate {
  fill(bytes: Uint8Array): void;
  /** Call just before the radio starts. */
  radioStarting(): void;
}

export function entropyGate(hardware: EntropyHardware): EntropyGate {
  let bootSourceOn = false;
  let radioOn = false;
  return {
    fill(bytes) {
      if (!radioOn && !bootSourceOn) {
        hardware.begin();
        bootSourceOn = true;
      }
      hardware.fill(bytes);
    },
    radioStarting() {
      if (bootSourceOn) hardware.end();
      bootSourceOn = false;
      radioOn = true;
    },
  };
}
