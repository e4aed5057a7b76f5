// The test and simulator side of the Moddable host shims: which platform's behaviour to mimic,
// which clock drives Timer and Time, the flash partitions (with the ESP32 OTA data), the GPIO lines, the analog inputs,
// the preference store, the reset reason, restarts and where trace output goes.
// Tests call resetHost() before each case; `implant run` calls useRealTime().
import type { Clock } from '../../modules/core/clock.js';
import type { NorFlash } from '../sim/nor-flash.js';
import { PaceHardware } from '../sim/pace-hardware.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { Esp32Ota } from './host/esp32-ota.js';
import type { Esp32OtaPartitions } from './host/esp32-ota.js';
import { PinBank, PinMode } from './host/pin-bank.js';
import { PreferenceStore } from './host/preference-store.js';
import { WallClock } from './host/wall-clock.js';

/** The SDK port whose limits and error messages the shims reproduce. */
export type HostPlatform = 'esp32' | 'nrf52';

/** The time source of the Timer and Time shims, and how Timer.delay blocks on it. */
export interface HostTime {
  readonly clock: Clock;
  block(ms: number): void;
}

/** Thrown by System.restart() on the host: on the device nothing after a restart runs. */
export class SystemRestart extends Error {
  constructor() {
    super('System.restart()');
    this.name = 'SystemRestart';
  }
}

const POWER_ON = 1; // esp_reset_reason_t ESP_RST_POWERON

function initialPlatform(): HostPlatform {
  const env = process.env.IMPLANT_HOST_PLATFORM;
  if (env === undefined || env === 'esp32' || env === 'nrf52') return env ?? 'esp32';
  throw new Error(`IMPLANT_HOST_PLATFORM must be esp32 or nrf52, not ${env}`);
}

function toStdout(text: string): void {
  process.stdout.write(text);
}

function freshState() {
  return {
    platform: initialPlatform(),
    time: undefined as HostTime | undefined,
    partitions: new Map<string, NorFlash>(),
    chip: undefined as NorFlash | undefined,
    ota: undefined as Esp32Ota | undefined,
    pins: new PinBank(() => hostTime().clock.now()),
    analog: new Map<number, number>(),
    preferences: new PreferenceStore(),
    resetReason: POWER_ON,
    restarts: 0,
    onRestart: undefined as (() => void) | undefined,
    traceSink: toStdout,
    workerPreloads: [] as string[],
    paceHardware: undefined as PaceHardware | undefined,
    paceObserver: undefined as ((chamber: 'A' | 'V', t: number) => void) | undefined,
  };
}

let state = freshState();

/** Back to defaults: platform from IMPLANT_HOST_PLATFORM (esp32), no clock, no flash, fresh pins and preferences. */
export function resetHost(): void {
  state = freshState();
}

/** For tests: resetHost(), mimic `platform`, and drive time by a new VirtualClock starting at `start` ms. */
export function virtualHost(platform: HostPlatform = 'esp32', start = 0): VirtualClock {
  resetHost();
  usePlatform(platform);
  const clock = new VirtualClock(start);
  useVirtualClock(clock);
  return clock;
}

export function usePlatform(platform: HostPlatform): void {
  state.platform = platform;
}

export function hostPlatform(): HostPlatform {
  return state.platform;
}

/** Timers and ticks follow `clock`; Timer.delay moves it forward without running callbacks. */
export function useVirtualClock(clock: VirtualClock): void {
  state.time = { clock, block: (ms) => clock.skip(ms) };
}

/**
 * Timers and ticks follow wall time from now (ticks start at 0, as after a boot), or from `origin`
 * (a realTimeOrigin() of another thread: a worker thread shares its owner's time base).
 */
export function useRealTime(origin?: number): void {
  const clock = new WallClock(origin);
  state.time = { clock, block: (ms) => clock.block(ms) };
}

/** The origin of the real-time clock in use, to hand to a worker thread; undefined on a virtual clock. */
export function realTimeOrigin(): number | undefined {
  const clock = state.time?.clock;
  return clock instanceof WallClock ? clock.origin : undefined;
}

export function hostTime(): HostTime {
  if (!state.time) throw new Error('host shims: no clock selected (call useVirtualClock(clock) or useRealTime() first)');
  return state.time;
}

/** Serves `new Flash(name)`. Use writeSize 1: both ports accept byte-granular writes. */
export function installFlashPartition(name: string, flash: NorFlash): void {
  state.partitions.set(name, flash);
}

/** A partition by label; with OTA partitions installed, "running" and "nextota" follow otadata. */
export function flashPartition(name: string): NorFlash | undefined {
  if (state.ota && (name === 'running' || name === 'nextota')) return state.ota.partition(name);
  return state.partitions.get(name);
}

/**
 * The ESP32 OTA layout: otadata (also served as the data partition "otadata") and the app slots
 * that "running" and "nextota" resolve to. Installing powers the chip on, so the bootloader runs
 * once; a test models each later reset with the returned model's reset(). System.restart() does
 * not reset it: on the host a restart ends the run, and the next run installs the partitions again.
 */
export function installOtaPartitions(partitions: Esp32OtaPartitions): Esp32Ota {
  state.ota = new Esp32Ota(partitions);
  state.partitions.set('otadata', partitions.otadata);
  return state.ota;
}

export function otaPartitions(): Esp32Ota | undefined {
  return state.ota;
}

/** The whole chip, for nRF52 raw regions `new Flash(offset, byteLength)`. */
export function installFlashChip(flash: NorFlash): void {
  state.chip = flash;
}

export function flashChip(): NorFlash | undefined {
  return state.chip;
}

export function pins(): PinBank {
  return state.pins;
}

/** The pace timer peripheral behind implant_pace_* (on the selected clock's hardware lane), driving the pin bank. */
export function paceHardware(): PaceHardware {
  state.paceHardware ??= new PaceHardware(hostTime().clock, {
    drive: (pin, level) => {
      state.pins.configure(pin, PinMode.Output);
      state.pins.setLatch(pin, level ? 1 : 0);
    },
    pulse: (chamber, t) => state.paceObserver?.(chamber === 0 ? 'A' : 'V', t),
  });
  return state.paceHardware;
}

/** Hears of every pulse the pace timer peripheral emits, at its time (the simulator's pace record). */
export function watchPaces(observer: ((chamber: 'A' | 'V', t: number) => void) | undefined): void {
  state.paceObserver = observer;
}

/** Sets what Analog.read(channel) returns (0...1023, the SDK's 10-bit scale). */
export function setAnalog(channel: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 1023) throw new RangeError(`analog value ${value} outside 0...1023`);
  state.analog.set(channel, value);
}

export function analogValue(channel: number): number {
  return state.analog.get(channel) ?? 0;
}

export function preferences(): PreferenceStore {
  return state.preferences;
}

/** Keeps preferences in a JSON file at `path` (loaded now if it exists), as the simulator does. */
export function persistPreferences(path: string): void {
  state.preferences.persistTo(path);
}

/** What resetReason() reports (esp_reset_reason_t; 1 Power-On, 3 Software, 4 Panic, 6 Task WDT...). */
export function setResetReason(reason: number): void {
  state.resetReason = reason;
}

export function resetReasonCode(): number {
  return state.resetReason;
}

/** Called when firmware restarts the device (the simulator reboots main here). */
export function onRestart(listener: (() => void) | undefined): void {
  state.onRestart = listener;
}

export function restartCount(): number {
  return state.restarts;
}

/** The shims' System.restart(): counts, tells the listener, and unwinds the caller. */
export function requestRestart(): never {
  state.restarts++;
  state.onRestart?.();
  throw new SystemRestart();
}

/**
 * Modules (file URLs) each worker thread imports before its worker module: the simulator's
 * outside world inside the therapy machine's thread (the virtual heart on its sense pins).
 */
export function setWorkerPreloads(urls: readonly string[]): void {
  state.workerPreloads = [...urls];
}

export function workerPreloads(): readonly string[] {
  return state.workerPreloads;
}

/** Redirects trace() output (default: stdout); returns the previous sink. */
export function setTraceSink(sink: (text: string) => void): (text: string) => void {
  const previous = state.traceSink;
  state.traceSink = sink;
  return previous;
}

export function writeTrace(text: string): void {
  state.traceSink(text);
}
