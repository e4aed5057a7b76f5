// lin adapter for Moddable's "bleserver": the simulator's BLE (modules/network/ble/sim) is an
// empty stub whose BLEServer never becomes ready, so firmware on it would never advertise. This
// one behaves as the boards' stack does up to the air: onReady arrives after construction,
// advertising is accepted (and traced), and no central ever connects. Same surface as the SDK's
// bleserver.js for what a peripheral calls.
import { Bytes } from "btutils";
import Timer from "timer";

const LOCAL_ADDRESS = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01); // a static-random-looking placeholder

export class BLEServer {
	#deviceName = "";

	constructor() {
		Timer.set(() => this.callback("onReady", {}), 0);
	}
	close() {}
	set deviceName(name) {
		this.#deviceName = name;
	}
	get deviceName() {
		return this.#deviceName;
	}
	set securityParameters(options) {}
	startAdvertising(options) {
		trace(`lin ble: advertising ${options.advertisingData?.completeUUID128List?.length ?? 0} service UUID(s); no radio, no central will connect\n`);
	}
	stopAdvertising() {
		trace("lin ble: advertising stopped\n");
	}
	get localAddress() {
		return new Bytes(LOCAL_ADDRESS.slice().buffer);
	}
	notifyValue() {}
	passkeyInput() {}
	passkeyReply() {}
	disconnect() {}
	getServiceAttributes() {
		return [];
	}
	callback(event) {
		if (event === "onReady") this.onReady?.();
	}
}

export default BLEServer;
