// Boots the firmware in the simulated board as main.ts does, with one difference: the trust
// anchors are the state directory's development root (dev-identities.ts) instead of the
// built-in root slot 0, whose private key nobody has. Without development identities it is
// main.ts itself.
import type { TrustConfig } from '../../modules/access/trust-store.js';

export async function bootFirmware(trust: TrustConfig | undefined): Promise<void> {
  if (!trust) {
    await import('../../main.js');
    return;
  }
  // First, as in main.ts: noble decides at load whether to blind, so the RNG must exist before it.
  await import('../../modules/crypto/device-random.js');
  const { devicePlatform } = await import('../../modules/app/device-platform.js');
  const { startFirmware } = await import('../../modules/app/firmware.js');
  startFirmware({ ...devicePlatform(), trust });
}
