// One link-layer connection on the device side, independent of the radio: fragments in, through
// the bounded reassembler, to the channel responder; messages out, fragmented to the current MTU.
// The GATT adapter (modules/ble) and the simulator's socket bridge each own one per connection.
import type { Clock } from '../core/clock.js';
import { fragmentMessage, MAX_ATT_MTU, MIN_ATT_MTU, Reassembler } from './framing.js';
import type { FramingErrorCode } from './framing.js';
import { ChannelResponder } from './responder.js';
import type { ReceiveOutcome, ResponderOptions } from './responder.js';

export interface ConnectionOptions extends Omit<ResponderOptions, 'send'> {
  readonly clock: Clock;
  /** Sends one fragment to the initiator (a notification on the response characteristic). */
  readonly notify: (fragment: Uint8Array) => void;
  /** Reports each outcome, for tests and diagnostics. */
  readonly onOutcome?: (outcome: ReceiveOutcome | FramingErrorCode) => void;
}

export class DeviceConnection {
  readonly responder: ChannelResponder;
  /** One reassembler per input characteristic (control, OTA data), feeding the one responder. */
  private readonly reassemblers: [Reassembler, Reassembler];
  private currentMtu = MIN_ATT_MTU;

  constructor(options: ConnectionOptions) {
    this.responder = new ChannelResponder({
      ...options,
      send: (type, body) => {
        for (const fragment of fragmentMessage(type, body, this.currentMtu)) options.notify(fragment);
      },
    });
    const report = options.onOutcome ?? (() => {});
    const reassembler = () => new Reassembler({
      clock: options.clock,
      onMessage: (message) => report(this.responder.receive(message)),
      onError: (code) => {
        report(code);
        report(this.responder.framingError(code));
      },
    });
    this.reassemblers = [reassembler(), reassembler()];
  }

  /** ATT MTU negotiated by the central (23 until an exchange happens). */
  get mtu(): number {
    return this.currentMtu;
  }

  set mtu(value: number) {
    this.currentMtu = Math.max(MIN_ATT_MTU, Math.min(MAX_ATT_MTU, Math.floor(value)));
  }

  /**
   * One write to the control characteristic (stream 0) or the OTA data characteristic (stream 1).
   * Each stream reassembles its own messages; complete messages go to the responder in the
   * order they complete, so a client sends one message at a time.
   */
  receiveFragment(fragment: Uint8Array, stream: 0 | 1 = 0): void {
    if (this.responder.state === 'closed') return; // nothing after close costs work
    this.reassemblers[stream].push(fragment, this.currentMtu);
  }

  /** The link went away. */
  close(): void {
    for (const r of this.reassemblers) r.reset();
    this.responder.linkLost();
  }
}
