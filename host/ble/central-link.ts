// A programmer FragmentLink over the simulated central: fragments go to the control
// characteristic, notifications of the response characteristic come back.
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import type { FragmentLink } from '../../programmer/client.js';
import type { SimulatedCentral } from './radio.js';

export function centralLink(central: SimulatedCentral): FragmentLink {
  return {
    get mtu() {
      return central.mtu;
    },
    write: (fragment) => central.write(IMPLANT_GATT.control, fragment),
    writeBulk: (fragment) => central.write(IMPLANT_GATT.otaData, fragment, { withoutResponse: true }),
    listen(onFragment, onClosed) {
      central.onNotification = (n) => {
        if (n.uuid === IMPLANT_GATT.response) onFragment(n.value);
      };
      central.onDisconnected = onClosed;
    },
  };
}
