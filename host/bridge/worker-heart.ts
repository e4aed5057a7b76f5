// The outside world of the therapy machine under the simulator, preloaded into its worker thread
// (host-control setWorkerPreloads): a virtual heart (host/heart) beating on the sense pins and
// captured by the pace pins, and the magnet/button and battery-indicator lines, as wires to the
// chip. The board process sends the inputs over a BroadcastChannel (threads share no pin bank).
import { BroadcastChannel } from 'node:worker_threads';
import type { Clock, TimerHandle } from '../../modules/core/clock.js';
import type { Chamber } from '../../modules/therapy/markers.js';
import { pinsFromConfig } from '../../modules/therapy/pin-maps.js';
import { loadScenario } from '../heart/closed-loop.js';
import { VirtualHeart } from '../heart/heart.js';
import config from '../shims/mc/config.js';
import { hostTime, pins } from '../shims/host-control.js';
import { INPUTS_CHANNEL } from './board-messages.js';
import type { BoardInputs } from './board-messages.js';

const HEART_SEED = 1;

/** A clock whose time starts at the scenario's start and whose timers all stop together. */
class ScenarioClock implements Clock {
  private readonly start: number;
  private readonly live = new Set<TimerHandle>();
  private stopped = false;

  constructor(private readonly base: Clock) {
    this.start = base.now();
  }

  now(): number {
    return this.base.now() - this.start;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle: TimerHandle = this.base.setTimeout(() => {
      this.live.delete(handle);
      if (!this.stopped) callback();
    }, delayMs);
    this.live.add(handle);
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    this.live.delete(handle);
    this.base.clearTimeout(handle);
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.live) this.base.clearTimeout(handle);
    this.live.clear();
  }
}

const map = pinsFromConfig(config);
const bank = pins();
let clock: ScenarioClock | undefined;
let heart: VirtualHeart | undefined;
let scenario: string | undefined;

function senseLead(chamber: Chamber): void {
  const pin = chamber === 'A' ? map.senseA : map.senseV;
  bank.drive(pin, 1); // a comparator's pulse: the rising edge is the sense
  bank.drive(pin, 0);
}

function beat(name: string): void {
  clock?.stop();
  clock = new ScenarioClock(hostTime().clock);
  heart = new VirtualHeart(loadScenario(name), clock, HEART_SEED);
  heart.start(senseLead);
  scenario = name;
}

// The pace outputs' active edge is a pulse into the tissue.
for (const [chamber, pin] of [['A', map.paceA], ['V', map.paceV]] as const) {
  bank.attach(pin, (rising) => {
    if (rising !== map.paceActiveLow) heart?.pace(chamber);
  });
}

function apply(inputs: BoardInputs): void {
  bank.drive(map.magnet, inputs.button ? 0 : 1); // the switch pulls the line low
  bank.drive(map.batteryErn, inputs.battery === 'BOL' ? 1 : 0);
  bank.drive(map.batteryErt, inputs.battery === 'ERT' || inputs.battery === 'ERP' ? 0 : 1);
  if (inputs.scenario !== scenario) beat(inputs.scenario);
}

const channel = new BroadcastChannel(INPUTS_CHANNEL);
channel.onmessage = (message) => {
  const data = (message as { data: unknown }).data;
  if (typeof data === 'object' && data !== null) apply(data as BoardInputs);
};
channel.unref();
// Ask the board for the inputs as they are now (it answers on the same channel).
channel.postMessage('inputs?');
