// Shared pieces of the storage tests: flash devices in the nRF52 and ESP32 geometries, seeded
// crypto, and a storage opener over one NorFlash split into the two rings.
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { openStorage, type Storage } from '../../modules/storage/storage.js';
import { Prng } from '../../host/lib/prng.js';
import { NorFlash } from '../../host/sim/nor-flash.js';

export const ERASE = 4096;
export const WRITE_SIZES = [1, 4, 8] as const;

export function flash(sectors: number, writeSize = 4): NorFlash {
  return new NorFlash({ size: sectors * ERASE, eraseSize: ERASE, writeSize });
}

/** noble with a seeded random source, so that every run writes the same bytes. */
export function seededCrypto(seed = 1): CryptoProvider {
  const rng = new Prng(seed);
  return { ...nobleProvider, randomBytes: (n: number) => rng.bytes(n) };
}

export const RECORD_SECTORS = 4;
export const AUDIT_SECTORS = 3;

/** A device: one flash, records in the first blocks, the audit log after them. */
export class Device {
  readonly flash: NorFlash;
  readonly crypto: CryptoProvider;
  time = 1_700_000_000_000;

  constructor(writeSize = 4, seed = 1) {
    this.flash = flash(RECORD_SECTORS + AUDIT_SECTORS, writeSize);
    this.crypto = seededCrypto(seed);
  }

  boot(): Storage {
    this.flash.powerOn();
    return openStorage(
      { records: sliceArea(this.flash, 0, RECORD_SECTORS), audit: sliceArea(this.flash, RECORD_SECTORS, AUDIT_SECTORS) },
      { crypto: this.crypto, now: () => (this.time += 1000) },
    );
  }

  /** Byte offset of a block of the audit ring inside the flash. */
  auditBlock(block: number): number {
    return (RECORD_SECTORS + block) * ERASE;
  }
}
