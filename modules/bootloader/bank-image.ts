// What a bank holds, checked: a complete transfer, a manifest signed by a trusted key and, when
// asked, image bytes in flash whose SHA-256 is the manifest's. The bootloader asks for all of
// it before it boots a bank; activation re-checks the manifest (the digest was computed while
// the bytes were received).
import { equalBytes } from '../core/bytes.js';
import type { FlashArea } from '../core/flash-area.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { UpdateError } from './errors.js';
import type { BootControl } from './boot-control.js';
import { bankLayout, type BankLayout } from './layout.js';
import { openManifest } from './signed-manifest.js';
import type { KeyLookup, OpenedManifest } from './signed-manifest.js';
import { BankTrailer } from './trailer.js';

/** The verified manifest of a bank whose transfer completed, or undefined. */
export function completedManifest(bank: FlashArea, layout: BankLayout, crypto: CryptoProvider, keys: KeyLookup): OpenedManifest | undefined {
  const state = new BankTrailer(bank, layout).read();
  if (!state.complete || !state.manifest) return undefined;
  try {
    const opened = openManifest(crypto, state.manifest, keys);
    return opened.manifest.imageSize <= layout.maxImageSize ? opened : undefined;
  } catch (error) {
    if (error instanceof UpdateError) return undefined;
    throw error;
  }
}

/** SHA-256 over the first `size` bytes of the bank, read one erase block at a time. */
export function bankDigest(bank: FlashArea, size: number, crypto: CryptoProvider): Uint8Array {
  const hash = crypto.sha256Stream();
  for (let offset = 0; offset < size; offset += bank.eraseSize) {
    hash.update(bank.read(offset, Math.min(bank.eraseSize, size - offset)));
  }
  return hash.digest();
}

/** The bank's manifest if the bank is complete, trusted and its bytes match the digest. */
export function verifiedBank(bank: FlashArea, layout: BankLayout, crypto: CryptoProvider, keys: KeyLookup): OpenedManifest | undefined {
  const opened = completedManifest(bank, layout, crypto, keys);
  if (!opened) return undefined;
  const { imageSize, imageDigest } = opened.manifest;
  return equalBytes(bankDigest(bank, imageSize, crypto), imageDigest) ? opened : undefined;
}

/**
 * The running image's manifest, verified once at start-up and shared by the update service and
 * the trial supervisor (the bank cannot change while it runs; each verification costs an Ed25519).
 */
export function runningManifest(banks: readonly [FlashArea, FlashArea], boot: BootControl, crypto: CryptoProvider, keys: KeyLookup): OpenedManifest | undefined {
  const bank = banks[boot.status().running];
  return completedManifest(bank, bankLayout(bank), crypto, keys);
}
