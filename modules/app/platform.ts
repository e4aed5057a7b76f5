// What the firmware needs from the board it runs on: the composition root (firmware.ts) is
// given one of these and builds everything else from portable modules. The device's platform
// is device-platform.ts (Moddable adapters); on a computer, host/board/sim-board.ts builds one
// from simulators. Nothing here names a Moddable specifier, so the whole firmware minus this one
// object runs unchanged on the board, on Node and in tests.
import type { TrustConfig } from '../access/trust-store.js';
import type { UpdatePlatform } from '../bootloader/update-service.js';
import type { Clock } from '../core/clock.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { StorageAreas } from '../storage/storage.js';
import type { BackupIO, WorkerPort } from '../therapy-control/supervisor.js';
import type { ConsoleEvent } from './console.js';
import type { ImplantGattOptions, LinkEvent } from '../ble/gatt-options.js';

/** The boards the firmware is built for; 'host' is the simulator on a computer, 'unnamed' a build whose config names none. */
export type Board = 'esp32' | 'nrf52' | 'host' | 'unnamed';

/** The GATT server's options, with the link events the firmware reports required. */
export interface RadioOptions extends ImplantGattOptions {
  readonly onLink: (event: LinkEvent) => void;
}

export type { LinkEvent };

export interface FirmwarePlatform {
  readonly board: Board;
  /** Monotonic milliseconds since this boot. */
  readonly clock: Clock;
  /** The device's crypto, its random source already installed (modules/crypto). */
  readonly crypto: CryptoProvider;
  /** Why the device (re)started, in words ('power-on', 'software restart', 'panic', ...), where the port tells. */
  readonly resetReason?: string;
  /** The manufacturer root keys and revocations built into this firmware. */
  readonly trust: TrustConfig;

  /** Starts the therapy machine (a Moddable Worker); may throw if the machine cannot start. */
  createTherapyWorker(): WorkerPort;
  /** The pace and sense pins for the main machine's backup pacer, opened only when it is needed. */
  openBackupIO(): BackupIO;

  /** Opens the record store's and the audit log's flash; may throw (flash fault, missing partition). */
  openStorageAreas(): StorageAreas;
  /** The two firmware banks and the boot control, or undefined where updates are not supported. */
  openUpdatePlatform(): UpdatePlatform | undefined;

  /** Reports the debounced button / magnet switch (physical presence) and the case tamper switch. */
  watchPresence(onChange: (held: boolean) => void): void;
  watchTamper(onOpen: () => void): void;

  /** Builds and starts the GATT server (it advertises once the stack is ready). */
  startRadio(options: RadioOptions): void;

  /** Where the firmware says what it does (the serial console on a board). */
  console(event: ConsoleEvent): void;
}
