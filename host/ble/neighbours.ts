// Other advertisers on the simulator's air, so a programmer's scan has to pick its implant out
// (docs/privacy.md): another implant of the same model (its own RPA under an IRK nobody here
// holds, the same advertising bytes) and a phone (a static random address and a name).
// Neither accepts connections.
import { ADVERTISING_FLAGS, IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { makeResolvableAddress } from '../../programmer/private-address.js';
import { Prng } from '../lib/prng.js';
import { Advertisement, Bytes } from '../shims/btutils.js';
import GAP from '../shims/gap.js';
import type { Advertising, BleRadio, Bystander } from './radio.js';

function advertising(data: ArrayBuffer): Advertising {
  return { connectable: true, flags: ADVERTISING_FLAGS, data: new Uint8Array(data), scanResponse: undefined, interval: GAP.ADV_FAST_INTERVAL1, filterPolicy: GAP.AdvFilterPolicy.NONE };
}

export function neighbours(seed = 0x6e): Bystander[] {
  const prng = new Prng(seed);
  const implant = Advertisement.serialize({ flags: ADVERTISING_FLAGS, completeUUID128List: [new Bytes(IMPLANT_GATT.service.replaceAll('-', ''), true)] });
  const phone = Advertisement.serialize({ flags: ADVERTISING_FLAGS, completeName: 'Phone' });
  return [
    { address: makeResolvableAddress(prng.bytes(16), prng.bytes(3)), advertising: advertising(implant) },
    { address: Uint8Array.of(...prng.bytes(5), 0xc0 | (prng.bytes(1)[0] & 0x3f)), advertising: advertising(phone) },
  ];
}

/** Puts the neighbours on `radio`'s air. */
export function addNeighbours(radio: BleRadio): void {
  radio.bystanders.push(...neighbours());
}
