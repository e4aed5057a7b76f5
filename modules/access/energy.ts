// The energy model (docs/access-control.md, "Energy"): what each radio and crypto operation
// costs the battery, and the daily budget it is measured against. The figures are assumptions
// for an nRF52840-class SoC at 3 V (radio about 5 mA while on, CPU about 3 mA at 64 MHz with
// asymmetric crypto accelerated or in native code); they are parameters, to be replaced by
// current measurements on the board. The bound the flood test proves does not hang on them:
// admission reserves the worst-case cost of a handshake, in the same units, before any DH.
import { fragmentCapacity, MAX_MESSAGE_BYTES, MIN_ATT_MTU } from '../channel/framing.js';

/** Cost of one operation in microjoules. */
export const ENERGY_COST_UJ = Object.freeze({
  /** Accepting one connection: connect request, a few empty connection events, disconnect. */
  'radio.connection': 40,
  /** Receiving or sending one link-layer packet (about 1 ms on air with ramp-up). */
  'radio.packet': 8,
  /** One X25519 scalar multiplication (key generation or DH). */
  'crypto.x25519': 300,
  'crypto.ed25519.verify': 700,
  'crypto.ed25519.sign': 350,
  /** One 64-byte SHA-256 block (also HMAC/HKDF inner blocks). */
  'crypto.sha256.block': 1,
  /** One 64-byte block of AEAD encryption or decryption. */
  'crypto.aead.block': 1,
  /** Writing one audit entry (a NOR program of about 100 bytes, its share of a sector erase). */
  'storage.audit-entry': 30,
});

export type EnergyOp = keyof typeof ENERGY_COST_UJ;

/**
 * The daily energy budget: a pacemaker-class primary cell (1.0 Ah at 2.8 V = 10.08 kJ) spread
 * over a 10-year service life = 2.76 J per day. Everything the device does, pacing included,
 * must fit in it; the flood test allows an attacker at most 1% of it.
 */
export const DAILY_BUDGET_UJ = 2_760_000;

/** Link-layer packets one connection can carry before its initiator is authenticated or refused:
 *  two handshake messages of the largest size the reassembler takes, at the smallest MTU (each
 *  fragment loses up to 4 bytes to its header), plus 8 for the device's answers. */
export const UNAUTHENTICATED_PACKETS = 2 * Math.ceil(MAX_MESSAGE_BYTES / (fragmentCapacity(MIN_ATT_MTU) - 4)) + 8;

/** Worst case of one connection's radio work before the handshake is decided. */
export const CONNECTION_WORST_UJ = ENERGY_COST_UJ['radio.connection'] + UNAUTHENTICATED_PACKETS * ENERGY_COST_UJ['radio.packet'];

/** Worst case of the crypto an unknown initiator can make one handshake run: 5 X25519 (IK: es,
 *  ss, then the reply's ephemeral key, ee, se), one certificate signature check, 64 hash and
 *  AEAD blocks. */
export const HANDSHAKE_CRYPTO_WORST_UJ =
  5 * ENERGY_COST_UJ['crypto.x25519'] + ENERGY_COST_UJ['crypto.ed25519.verify'] + 64 * ENERGY_COST_UJ['crypto.sha256.block'];

/** Everything one unauthenticated connection with a handshake can cost. */
export const HANDSHAKE_WORST_UJ = CONNECTION_WORST_UJ + HANDSHAKE_CRYPTO_WORST_UJ;

/** Counts the energy spent, by operation. */
export class EnergyMeter {
  private readonly spent: Record<string, number> = {};
  private total = 0;

  charge(op: EnergyOp, count = 1): void {
    const cost = ENERGY_COST_UJ[op] * count;
    this.spent[op] = (this.spent[op] ?? 0) + cost;
    this.total += cost;
  }

  totalUj(): number {
    return this.total;
  }

  byOp(): Readonly<Record<string, number>> {
    return { ...this.spent };
  }
}
