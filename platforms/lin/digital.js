// lin adapter for Moddable's "pins/digital" (typings/pins/digital.d.ts), which the simulator
// lacks: no GPIO, so an input reads its idle level (1 with a pull-up, as an unpressed button or
// a quiet sense line, else 0) and an output remembers what was written.
export default class Digital {
	static Input = 0;
	static InputPullUp = 1;
	static InputPullDown = 2;
	static InputPullUpDown = 3;
	static Output = 8;
	static OutputOpenDrain = 9;

	#level;

	constructor(options) {
		this.#level = options.mode === Digital.InputPullUp ? 1 : 0;
	}

	read() {
		return this.#level;
	}

	write(value) {
		this.#level = value ? 1 : 0;
	}

	close() {}
}
