// Host shim of Moddable "gapwhitelist": the controller's filter accept list, which advertising
// with a WHITELIST_CONNECTIONS filter policy consults when a central connects.
import { bleRadio } from '../ble/radio.js';
import GAP from './gap.js';

function entry(address: ArrayBuffer | string, addressType?: number): { address: Uint8Array; addressType: number } {
  const bytes = typeof address === 'string'
    ? Uint8Array.from(address.split(':').reverse().map((h) => parseInt(h, 16)))
    : new Uint8Array(address).slice();
  if (bytes.length !== 6) throw new Error('unknown whitelist entry format');
  return { address: bytes, addressType: addressType ?? GAP.AddressType.PUBLIC };
}

export class GAPWhitelist {
  static add(address: ArrayBuffer | string, addressType?: number): void {
    bleRadio().whitelistAdd(entry(address, addressType));
  }

  static remove(address: ArrayBuffer | string, addressType?: number): void {
    bleRadio().whitelistRemove(entry(address, addressType));
  }

  static clear(): void {
    bleRadio().whitelistClear();
  }
}

export default GAPWhitelist;
