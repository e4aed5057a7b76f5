// Where the nRF52840's update lives in its external QSPI NOR (docs/bootloader.md, "nRF52: the
// boot stage"): the boot record, the boot stage's own security-counter floor (written by the
// stage only), and two A/B slots in the bank format of layout.ts. The internal flash runs a
// verified copy of one slot, made by platforms/nrf52/boot-stage (whose config.h repeats these
// numbers). The slots hold the largest image the internal application region takes.
import type { FlashArea } from '../core/flash-area.js';
import { sliceArea } from '../storage/area-slice.js';

export interface QspiLayout {
  /** Byte offsets in the QSPI chip; every field is a multiple of the 4 KiB sector. */
  readonly recordOffset: number;
  readonly floorOffset: number;
  readonly slotOffsets: readonly [number, number];
  readonly slotSize: number;
}

/**
 * The DK's layout: the application region runs from 0x27000 to Moddable's 64 KiB storage
 * partition at 0xDF000 (736 KiB), and a slot is that plus its one-sector trailer.
 */
export const NRF52_QSPI_LAYOUT: QspiLayout = Object.freeze({
  recordOffset: 0x0000,
  floorOffset: 0x2000,
  slotOffsets: Object.freeze([0x10000, 0x10000 + 0xb9000] as const),
  slotSize: 0xb9000,
});

export interface QspiUpdateAreas {
  readonly banks: readonly [FlashArea, FlashArea];
  readonly bootRecord: FlashArea;
}

/** The update's areas as slices of the QSPI chip. */
export function qspiUpdateAreas(chip: FlashArea, layout: QspiLayout): QspiUpdateAreas {
  const block = (offset: number): number => {
    if (offset % chip.eraseSize !== 0) throw new RangeError(`QSPI offset ${offset} is not sector-aligned`);
    return offset / chip.eraseSize;
  };
  const slot = (i: 0 | 1) => sliceArea(chip, block(layout.slotOffsets[i]), block(layout.slotSize));
  return { banks: [slot(0), slot(1)], bootRecord: sliceArea(chip, block(layout.recordOffset), 2) };
}
