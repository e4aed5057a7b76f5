// The trust anchors (docs/access-control.md, "Keys"): manufacturer root public keys in two slots
// (slot 0 built into the firmware, slot 1 for rotation) and a revocation list of key ids. Only a
// trust update signed by a current root can change them, with a strictly rising sequence number,
// and revocations can only be added, never withdrawn. A saved state that does not open fails
// closed: no certificate, manifest or trust update is accepted (falling back to the built-in
// anchors would silently drop revocations and the sequence, so a revoked key would work again).
// @req SEC-15 (docs/traceability.md)
import { equalBytes, fromHex, utf8 } from '../core/bytes.js';
import { CborError, decodeCbor, encodeCbor } from '../core/cbor.js';
import type { CborMap, CborValue } from '../core/cbor.js';
import { CoseError, decodeSign1, signSign1, verifySign1 } from '../core/cose.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { KEY_ID_BYTES, keyIdOf } from './key-id.js';
import type { TrustState, TrustStateStore } from './ports.js';
import { AccessStatus } from './status.js';

/** Built-in anchors: slot 0 root (hex Ed25519 public key), optional slot 1, revoked key ids (hex). */
export interface TrustConfig {
  readonly roots: readonly string[];
  readonly revoked: readonly string[];
}

/** RFC 9052 §4.3 external AAD that makes a trust update's signature useless as anything else. */
export const TRUST_UPDATE_AAD = 'implant/trust-update/v1';

/** Claim labels of a trust update payload. */
const TU_SEQUENCE = 1;
const TU_ROTATION_ROOT = 2;
const TU_REVOKED = 3;
const MAX_REVOKED = 64;

export interface RootSlot {
  readonly slot: number;
  readonly publicKey: Uint8Array;
  readonly keyId: Uint8Array;
  readonly revoked: boolean;
}

export type RootLookup = { ok: true; publicKey: Uint8Array } | { ok: false; status: number };

export class TrustStore {
  private readonly builtinRoot: Uint8Array;
  private readonly builtinRevoked: Uint8Array[];
  private state: TrustState;
  /** The saved trust state exists but did not open: every lookup and update is refused. */
  readonly damaged: boolean;

  constructor(private readonly crypto: CryptoProvider, builtin: TrustConfig, private readonly store: TrustStateStore) {
    if (builtin.roots.length < 1 || builtin.roots.length > 2) throw new Error('trust config needs one or two roots');
    this.builtinRoot = fromHex(builtin.roots[0]);
    this.builtinRevoked = builtin.revoked.map((hex) => fromHex(hex));
    const builtinRotation = builtin.roots[1] === undefined ? undefined : fromHex(builtin.roots[1]);
    const saved = store.load();
    this.damaged = saved === 'damaged';
    this.state = saved === undefined || saved === 'damaged' ? { sequence: 0, rotationRoot: builtinRotation, revoked: [] } : saved;
  }

  slots(): RootSlot[] {
    const keys = [this.builtinRoot, this.state.rotationRoot];
    const out: RootSlot[] = [];
    keys.forEach((publicKey, slot) => {
      if (!publicKey) return;
      const keyId = this.keyId(publicKey);
      out.push({ slot, publicKey, keyId, revoked: this.isRevoked(keyId) });
    });
    return out;
  }

  sequence(): number {
    return this.state.sequence;
  }

  isRevoked(keyId: Uint8Array): boolean {
    for (const r of this.builtinRevoked) if (equalBytes(r, keyId)) return true;
    for (const r of this.state.revoked) if (equalBytes(r, keyId)) return true;
    return false;
  }

  /** The root public key a certificate's issuer key id names, unless unknown or revoked. */
  rootFor(kid: Uint8Array | undefined): RootLookup {
    if (this.damaged) return { ok: false, status: AccessStatus.TRUST_STATE_DAMAGED };
    if (!kid || kid.length !== KEY_ID_BYTES) return { ok: false, status: AccessStatus.CERT_UNKNOWN_ISSUER };
    for (const slot of this.slots()) {
      if (!equalBytes(slot.keyId, kid)) continue;
      return slot.revoked ? { ok: false, status: AccessStatus.CERT_REVOKED } : { ok: true, publicKey: slot.publicKey };
    }
    return { ok: false, status: AccessStatus.CERT_UNKNOWN_ISSUER };
  }

  /**
   * Applies a signed trust update; returns 0 (OK), or TRUST_UPDATE_REJECTED (TRUST_STATE_DAMAGED
   * while failed closed) and changes nothing.
   * Refused: a signer that is not a current root, a sequence not above the current one, a
   * revocation list that drops an entry, or a result that would leave no usable root.
   */
  applyUpdate(bytes: Uint8Array): number {
    if (this.damaged) return AccessStatus.TRUST_STATE_DAMAGED;
    const next = this.checkUpdate(bytes);
    if (!next) return AccessStatus.TRUST_UPDATE_REJECTED;
    this.store.save(next);
    this.state = next;
    return 0;
  }

  private checkUpdate(bytes: Uint8Array): TrustState | undefined {
    let claims: CborValue;
    try {
      const sign1 = decodeSign1(bytes);
      const root = this.rootFor(sign1.kid);
      if (!root.ok || !verifySign1(this.crypto.ed25519, sign1, root.publicKey, utf8(TRUST_UPDATE_AAD))) return undefined;
      claims = decodeCbor(sign1.payload);
    } catch (error) {
      if (error instanceof CoseError || error instanceof CborError) return undefined;
      throw error;
    }
    const next = parseUpdate(claims);
    if (!next || next.sequence <= this.state.sequence) return undefined;
    for (const old of this.state.revoked) if (!next.revoked.some((r) => equalBytes(r, old))) return undefined;
    const trial: TrustState = { ...next, rotationRoot: next.rotationRoot ?? this.state.rotationRoot };
    const saved = this.state;
    this.state = trial;
    const usable = this.slots().some((s) => !s.revoked);
    this.state = saved;
    return usable ? trial : undefined;
  }

  private keyId(publicKey: Uint8Array): Uint8Array {
    return keyIdOf(this.crypto.sha256, publicKey);
  }
}

function parseUpdate(claims: CborValue): TrustState | undefined {
  if (!(claims instanceof Map)) return undefined;
  for (const key of claims.keys()) if (key !== TU_SEQUENCE && key !== TU_ROTATION_ROOT && key !== TU_REVOKED) return undefined;
  const sequence = claims.get(TU_SEQUENCE);
  const rotationRoot = claims.get(TU_ROTATION_ROOT);
  const revoked = claims.get(TU_REVOKED);
  if (typeof sequence !== 'number' || sequence < 1 || sequence > 0xffffffff) return undefined;
  if (rotationRoot !== undefined && !(rotationRoot instanceof Uint8Array && rotationRoot.length === 32)) return undefined;
  if (!Array.isArray(revoked) || revoked.length > MAX_REVOKED) return undefined;
  if (!revoked.every((r) => r instanceof Uint8Array && r.length === KEY_ID_BYTES)) return undefined;
  return { sequence, rotationRoot, revoked: revoked as Uint8Array[] };
}

/** Builds a trust update (tools and tests): the full revocation list it should leave in force. */
export function signTrustUpdate(
  crypto: CryptoProvider,
  signer: { secretKey: Uint8Array; publicKey: Uint8Array },
  update: { sequence: number; rotationRoot?: Uint8Array; revoked: readonly Uint8Array[] },
): Uint8Array {
  const claims: CborMap = new Map<number, CborValue>([
    [TU_SEQUENCE, update.sequence],
    [TU_REVOKED, update.revoked.slice()],
  ]);
  if (update.rotationRoot) claims.set(TU_ROTATION_ROOT, update.rotationRoot);
  return signSign1(crypto.ed25519, signer.secretKey, encodeCbor(claims), {
    kid: keyIdOf(crypto.sha256, signer.publicKey),
    externalAad: utf8(TRUST_UPDATE_AAD),
  });
}
