// What the implant's GATT server is built with. Portable (the server itself imports "bleserver"),
// so the composition root and tests can name these types on any engine.
import type { CommandDispatcher } from '../channel/commands.js';
import type { ChannelGate } from '../channel/hooks.js';
import type { KeyPair } from '../channel/noise/suite.js';
import type { Clock } from '../core/clock.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { DeviceInfo } from './device-info.js';
import type { AddressPrivacy, PrivacyState } from './privacy.js';

/** The link changed: advertising started or stopped (the gate is closed), a central was admitted, or the admitted central left. */
export type LinkEvent = 'advertising' | 'silent' | 'connected' | 'disconnected';

export interface ImplantGattOptions {
  readonly clock: Clock;
  readonly crypto: CryptoProvider;
  readonly staticKey: KeyPair;
  readonly gate: ChannelGate;
  readonly dispatcher: CommandDispatcher;
  readonly physicalPresence: () => boolean;
  /** Read on each device-information read (the pairing flag changes). */
  readonly deviceInfo: () => DeviceInfo;
  readonly onLink?: (event: LinkEvent) => void;
  /** The device's IRK and the state the stack reports; set on the stack before the first advertisement. */
  readonly privacy?: AddressPrivacy;
  /** What the stack did with the IRK (`code`: the native result, docs/privacy.md). */
  readonly onPrivacy?: (state: PrivacyState, code: number) => void;
}
