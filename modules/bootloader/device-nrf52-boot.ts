// The nRF52 platform for the update (docs/bootloader.md, "nRF52"): what Moddable allows is raw
// flash regions (new Flash(offset, length)), so the banks and the two-block boot record are
// regions of the internal flash, driven by the portable state machine (FlashBootControl) exactly
// as in the host campaign. What it does NOT do: boot from bank 1. The nRF52 build runs from a
// fixed link address, and Moddable ships only the single-bank Adafruit-derived bootloader,
// which reads no boot record. An activation therefore needs a stage-2 bootloader that runs
// boot-select.ts's decision (MCUboot-like, not shipped); without one the device restarts into
// the same image, and TrialSupervisor withdraws the untouched activation and reports it
// ('reverted', reason 'not-activated').
import Flash from 'flash';
import { ModdableFlashArea } from '../platform/flash-area.js';
import type { FlashArea } from '../core/flash-area.js';
import { BootRecordStore } from './boot-record.js';
import { FlashBootControl } from './boot-control.js';

/** The nRF52840 NVMC programs 32-bit words. */
const NRF52_WRITE_SIZE = 4;

export interface Nrf52UpdateRegions {
  /** Byte offsets and lengths in the internal flash, multiples of 4 KiB; see docs/bootloader.md. */
  readonly bank0: { offset: number; length: number };
  readonly bank1: { offset: number; length: number };
  readonly bootRecord: { offset: number; length: number };
}

function region(r: { offset: number; length: number }): FlashArea {
  return new ModdableFlashArea(new Flash(r.offset, r.length), NRF52_WRITE_SIZE);
}

export function nrf52Banks(regions: Nrf52UpdateRegions): readonly [FlashArea, FlashArea] {
  return [region(regions.bank0), region(regions.bank1)];
}

export function nrf52BootControl(regions: Nrf52UpdateRegions): FlashBootControl {
  return new FlashBootControl(new BootRecordStore(region(regions.bootRecord)));
}
