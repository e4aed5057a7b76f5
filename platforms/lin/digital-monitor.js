// lin adapter for Moddable's "pins/digital/monitor" (platforms/typings/pins-digital-monitor.d.ts):
// the simulator has no GPIO, so a monitored line stays at its idle level (1 with a pull-up, as
// in digital.js) and never reports an edge.
const INPUT_PULL_UP = 1;

export default class Monitor {
	static Rising = 1;
	static Falling = 2;

	#level;

	constructor(options) {
		this.#level = options.mode === INPUT_PULL_UP ? 1 : 0;
		this.onChanged = undefined;
		this.rises = 0;
		this.falls = 0;
	}

	read() {
		return this.#level;
	}

	close() {}
}
