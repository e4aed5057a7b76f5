// The device's FirmwarePlatform over Moddable: the only board-specific part of the firmware.
// Everything it returns is an adapter (modules/platform, modules/therapy/device-io pins,
// modules/ble/device-gatt) or a Moddable module; the composition root (firmware.ts) does the rest.
// On the host, `implant run` loads this same file with the Moddable specifiers served by
// host/shims/, so the simulator exercises exactly what the board runs.
import { BUILTIN_TRUST } from '../access/builtin-trust.js';
import { ImplantGattServer } from '../ble/device-gatt.js';
import { openUpdatePlatform } from '../bootloader/device-updates.js';
import type { Clock } from '../core/clock.js';
import type { FlashArea } from '../core/flash-area.js';
import { nativeCurves } from '../crypto/device-curves.js';
import { nativeSymmetric } from '../crypto/device-symmetric.js';
import { radioStarting } from '../crypto/device-random.js';
import { ModdableFlashArea } from '../platform/flash-area.js';
import { restart } from '../platform/restart.js';
import { TimerClock } from '../platform/timer-clock.js';
import { sliceArea } from '../storage/area-slice.js';
import type { StorageAreas } from '../storage/storage.js';
import { DeviceIO } from '../therapy/device-io.js';
import { THERAPY_WORKER_MODULE } from '../therapy/device-therapy.js';
import { pinsFromConfig } from '../therapy/pin-maps.js';
import type { BackupIO, WorkerPort } from '../therapy-control/supervisor.js';
import Flash from 'flash';
import config from 'mc/config';
import Digital from 'pins/digital';
import Monitor from 'pins/digital/monitor';
import Timer from 'timer';
import Worker from 'worker';
import { formatConsoleLine } from './console.js';
import type { Board, FirmwarePlatform, RadioOptions } from './platform.js';

/** The data partition of the record store and the audit log (platforms/esp32/partitions.csv; nRF52 "storage"). */
const STORAGE_PARTITION = 'storage';
/** Write granularity: the nRF52 NVMC writes 32-bit words; ESP32 without flash encryption takes bytes, 4 keeps both alike. */
const STORAGE_WRITE_SIZE = 4;
/** The button/magnet is sampled this often; two equal samples in a row make a debounced state. */
const PRESENCE_SAMPLE_MS = 50;

/** The board the manifest's config names; any other value is 'unnamed', which gets no updates (banks are per board). */
function board(): Board {
  const named = (config as Record<string, unknown>).board;
  return named === 'esp32' || named === 'nrf52' ? named : 'unnamed';
}

/** A third of the partition for records (at least 2 blocks), the rest for the audit log (at least 3). */
function storageAreas(): StorageAreas {
  const partition: FlashArea = new ModdableFlashArea(new Flash(STORAGE_PARTITION), STORAGE_WRITE_SIZE);
  const blocks = partition.size / partition.eraseSize;
  const recordBlocks = Math.max(2, Math.floor(blocks / 3));
  if (blocks - recordBlocks < 3) throw new RangeError(`storage partition of ${blocks} blocks is too small`);
  return { records: sliceArea(partition, 0, recordBlocks), audit: sliceArea(partition, recordBlocks, blocks - recordBlocks) };
}

/** The backup pacer's pins, opened on the main machine once the therapy machine is gone. */
function backupIO(clock: Clock): BackupIO {
  let onSense: () => void = () => {};
  const io = new DeviceIO(pinsFromConfig(config), {
    sense: (chamber) => chamber === 'V' && onSense(),
    magnet: () => {},
    battery: () => {},
    activity: () => {},
  }, clock);
  return { paceTimer: io.paceTimer, onVentricularSense: (handler) => (onSense = handler) };
}

/** The magnet/button line (low while held), sampled and debounced on the main machine. */
function watchPresence(onChange: (held: boolean) => void): void {
  const pin = new Digital({ pin: pinsFromConfig(config).magnet, mode: Digital.InputPullUp });
  let last = pin.read();
  let reported: number | undefined;
  Timer.repeat(() => {
    const level = pin.read();
    if (level === last && level !== reported) {
      reported = level;
      onChange(level === 0);
    }
    last = level;
  }, PRESENCE_SAMPLE_MS);
}

/** The case switch, if the manifest config names its pin (`tamperPin`; low when the case opens). */
function watchTamper(onOpen: () => void): void {
  const pin = (config as Record<string, unknown>).tamperPin;
  if (typeof pin !== 'number') return;
  const monitor = new Monitor({ pin, mode: Digital.InputPullUp, edge: Monitor.Falling });
  monitor.onChanged = () => onOpen();
}

export function devicePlatform(): FirmwarePlatform {
  const clock = new TimerClock();
  return {
    board: board(),
    clock,
    // All native, no noble in the image: each board's library for the curves and ChaCha20-Poly1305;
    // SHA-256, HMAC, HKDF and AES-GCM from Moddable's crypt, or Oberon on nRF52 (docs/crypto.md).
    crypto: Object.freeze({ ...nativeCurves, ...nativeSymmetric, name: 'native' }),
    trust: BUILTIN_TRUST,
    // The worker's creation sizes and scheduling come from the manifest's `therapyWorker` config.
    createTherapyWorker: (): WorkerPort => new Worker(THERAPY_WORKER_MODULE, (config as Record<string, unknown>).therapyWorker as never),
    openBackupIO: () => backupIO(clock),
    openStorageAreas: storageAreas,
    openUpdatePlatform: () => openUpdatePlatform(restart),
    watchPresence,
    watchTamper,
    startRadio: (options: RadioOptions) => {
      radioStarting(); // the boot entropy source must be off before the radio (ESP32)
      void new ImplantGattServer(options);
    },
    console: (event) => trace(`${formatConsoleLine(event)}\n`),
  };
}
