// Host shim of Moddable "sm" (modules/network/ble/sm.js): bond deletion and the security enums.
import { bleRadio } from '../ble/radio.js';
import GAP from './gap.js';

export const IOCapability = Object.freeze({ NoInputNoOutput: 0, DisplayOnly: 1, KeyboardOnly: 2, KeyboardDisplay: 3, DisplayYesNo: 4 });
export const Authorization = Object.freeze({ None: 0, NoMITM: 1, MITM: 2, SignedNoMITM: 3, SignedMITM: 4 });

export class SM {
  static deleteBonding(address: ArrayBuffer, addressType: number = GAP.AddressType.PUBLIC): void {
    bleRadio().deleteBond(address, addressType);
  }

  static deleteAllBondings(): void {
    bleRadio().deleteAllBonds();
  }
}

export default SM;
