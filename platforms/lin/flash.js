// lin adapter for Moddable's "flash" (typings/flash.d.ts), which the simulator lacks: each
// partition is a file under the file module's root, created erased (0xFF) at the size of the
// board partition it stands for. Programming ANDs like NOR flash, so a program can only clear
// bits; modules/platform/flash-area.ts refuses such programs before they get here anyway.
// Plain JavaScript: the SDK's typings of "flash" describe it, as on the boards.
import { File } from "file";
import config from "mc/config";

/** NOR erase block, as the nRF52840's 4 KiB pages. */
const BLOCK_SIZE = 4096;
/** Sizes of the partitions the firmware opens on lin (the nRF52 DK's "storage" is 64 KiB). */
const PARTITIONS = Object.freeze({ storage: 64 * 1024 });

function root() {
	const file = config.file;
	return typeof file?.root === "string" ? file.root : "/tmp/";
}

function erased(length) {
	return new Uint8Array(length).fill(0xff).buffer;
}

export default class Flash {
	#path;

	constructor(partition) {
		const size = PARTITIONS[partition];
		if (size === undefined) throw new Error(`flash: no partition "${partition}" on lin`);
		this.byteLength = size;
		this.blockSize = BLOCK_SIZE;
		this.#path = `${root()}implant-${partition}.flash`;
		const file = new File(this.#path, true);
		try {
			if (file.length < size) {
				file.position = file.length;
				file.write(erased(size - file.length));
			}
		} finally {
			file.close();
		}
	}

	read(offset, byteLength) {
		this.#check(offset, byteLength);
		const file = new File(this.#path);
		try {
			file.position = offset;
			return file.read(ArrayBuffer, byteLength);
		} finally {
			file.close();
		}
	}

	write(offset, byteLength, buffer) {
		this.#check(offset, byteLength);
		const data = ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, byteLength) : new Uint8Array(buffer, 0, byteLength);
		const cells = new Uint8Array(this.read(offset, byteLength));
		for (let i = 0; i < byteLength; i++) cells[i] &= data[i];
		this.#put(offset, cells.buffer);
	}

	erase(sector) {
		if (!Number.isInteger(sector) || sector < 0 || (sector + 1) * BLOCK_SIZE > this.byteLength) throw new RangeError(`flash: no sector ${sector}`);
		this.#put(sector * BLOCK_SIZE, erased(BLOCK_SIZE));
	}

	#put(offset, data) {
		const file = new File(this.#path, true);
		try {
			file.position = offset;
			file.write(data);
		} finally {
			file.close();
		}
	}

	#check(offset, byteLength) {
		if (!Number.isInteger(offset) || !Number.isInteger(byteLength) || offset < 0 || byteLength < 0 || offset + byteLength > this.byteLength)
			throw new RangeError(`flash: range ${offset}+${byteLength} outside the partition`);
	}
}
