// The nRF52 platform for the update (docs/bootloader.md, "nRF52: the boot stage"). The
// firmware runs from a fixed link address in internal flash (0x27000), and a second internal
// bank cannot fit beside it, so the two A/B slots and the boot record live in the DK's external
// QSPI NOR (qspi-layout.ts), reached by FFI (native/nrf52_qspi.c). The portable state machine
// drives them exactly as in the host campaign: the stager writes a slot, activation writes the
// boot record, TrialSupervisor confirms or reverts. At each reset our boot stage
// (platforms/nrf52/boot-stage, in the MBR's bootloader position) verifies the slot the record
// names and copies it into internal flash before it starts it. Without the stage (Moddable's UF2
// bootloader still in place) the activation stays pending and TrialSupervisor withdraws it
// ('reverted', reason 'not-activated').
import FFI from 'mc/ffi';
import { ModdableFlashArea, type FlashPartition } from '../platform/flash-area.js';
import { BootRecordStore } from './boot-record.js';
import { FlashBootControl } from './boot-control.js';
import { NRF52_QSPI_LAYOUT, qspiUpdateAreas, type QspiLayout } from './qspi-layout.js';
import type { UpdatePlatform } from './update-service.js';

/** The calls native/nrf52_qspi.c exports (manifest "ffi"): reads take any range, writes whole words. */
export interface QspiNative {
  implant_qspi_open(): number;
  implant_qspi_read(buffer: ArrayBuffer, address: number, length: number): number;
  implant_qspi_write(buffer: ArrayBuffer, address: number, length: number): number;
  implant_qspi_erase(address: number): number;
}

/** The MX25R6435F erases 4 KiB sectors; nrfx_qspi moves whole words. */
const QSPI_SECTOR = 4096;
const QSPI_WRITE_SIZE = 4;

/** The chip as a Moddable-style flash partition, so ModdableFlashArea's checks apply to it too. */
class QspiChip implements FlashPartition {
  readonly blockSize = QSPI_SECTOR;

  constructor(private readonly native: QspiNative, readonly byteLength: number) {}

  read(offset: number, byteLength: number): ArrayBuffer {
    const out = new ArrayBuffer(byteLength);
    this.check('read', this.native.implant_qspi_read(out, offset, byteLength));
    return out;
  }

  write(offset: number, byteLength: number, buffer: ArrayBufferLike | ArrayBufferView): void {
    const bytes = ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, byteLength) : new Uint8Array(buffer, 0, byteLength);
    this.check('write', this.native.implant_qspi_write(bytes.slice().buffer, offset, byteLength));
  }

  erase(sector: number): void {
    this.check('erase', this.native.implant_qspi_erase(sector * QSPI_SECTOR));
  }

  private check(what: string, status: number): void {
    if (status !== 0) throw new Error(`QSPI ${what} failed`);
  }
}

/**
 * The update platform over the QSPI chip, or undefined where there is none (lin, the host
 * shims: implant_qspi_open reports -1).
 */
export function nrf52UpdatePlatform(restart: () => void, native: QspiNative = new FFI() as unknown as QspiNative, layout: QspiLayout = NRF52_QSPI_LAYOUT): UpdatePlatform | undefined {
  const size = native.implant_qspi_open();
  if (size <= 0) return undefined;
  const { banks, bootRecord } = qspiUpdateAreas(new ModdableFlashArea(new QspiChip(native, size), QSPI_WRITE_SIZE), layout);
  return { banks, boot: new FlashBootControl(new BootRecordStore(bootRecord)), restart };
}
