// A device's access control on a virtual clock with in-memory storage, plus a manufacturer
// root and helpers to mint programmer keys and certificates, for the access tests.
import { toHex } from '../../modules/core/bytes.js';
import { AccessControl } from '../../modules/access/access-control.js';
import { issueCertificate } from '../../modules/access/certificate.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import type { CertificateClaims } from '../../modules/access/certificate.js';
import type { CertRole } from '../../modules/access/roles.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { Prng } from '../lib/prng.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { MemoryAudit, MemoryBonds, MemoryCounters, MemoryIdentity, MemoryTrustState } from './fakes.js';

export const crypto = nobleProvider;
/** 2026-11-28T00:00:00Z, a plausible "now" for certificates. */
export const NOW = 1_795_824_000;
export const YEAR = 365 * 86400;

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export function ed25519Pair(prng: Prng): KeyPair {
  const secretKey = prng.bytes(32);
  return { secretKey, publicKey: crypto.ed25519.publicKey(secretKey) };
}

export function x25519Pair(prng: Prng): KeyPair {
  const secretKey = prng.bytes(32);
  return { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
}

export class Device {
  readonly counters = new MemoryCounters();
  readonly bonds = new MemoryBonds();
  readonly identities = new MemoryIdentity();
  readonly trustState = new MemoryTrustState();
  readonly audit = new MemoryAudit();
  readonly display: string[] = [];
  readonly prng: Prng;
  readonly root: KeyPair;
  readonly rotationRoot: KeyPair;
  access: AccessControl;

  /** `deviceCrypto` is what the device computes with (e.g. a metered provider); seeded RNG either way. */
  constructor(seed = 1, private readonly deviceCrypto: CryptoProvider = crypto, readonly clock: VirtualClock = new VirtualClock(0)) {
    this.prng = new Prng(seed);
    this.root = ed25519Pair(this.prng);
    this.rotationRoot = ed25519Pair(this.prng);
    this.access = this.boot();
    const status = this.access.identity.install(this.certificate('device', this.access.identity.identity().staticPublic));
    if (status !== 0) throw new Error(`provisioning failed: ${status}`);
  }

  /** Key id of the root in slot 0. */
  get rootKid(): Uint8Array {
    return keyIdOf(crypto.sha256, this.root.publicKey);
  }

  /** Builds access control over the same storage, as after a reset (RAM state is lost). */
  reboot(): AccessControl {
    this.access = this.boot();
    return this.access;
  }

  private boot(): AccessControl {
    return new AccessControl({
      clock: this.clock,
      crypto: { ...this.deviceCrypto, randomBytes: (n: number) => this.prng.bytes(n) },
      counters: this.counters,
      bonds: this.bonds,
      identities: this.identities,
      trustState: this.trustState,
      audit: this.audit,
      auditReader: this.audit,
      trustConfig: { roots: [toHex(this.root.publicKey)], revoked: [] },
      display: (line) => this.display.push(line),
    });
  }

  /** A certificate from this device's root (or `issuer`) with sensible defaults. */
  certificate(role: CertRole, subjectKey: Uint8Array, claims: Partial<CertificateClaims> = {}, issuer: KeyPair = this.root): Uint8Array {
    return issueCertificate(crypto, issuer, {
      role,
      subjectKey,
      serial: claims.serial ?? this.prng.bytes(8),
      notBefore: claims.notBefore ?? NOW - 86400,
      notAfter: claims.notAfter ?? NOW + YEAR,
    });
  }

  /** A programmer: its Noise static key pair and the handshake payload carrying its certificate. */
  programmer(role: 'clinician' | 'manufacturer', claims: Partial<CertificateClaims> = {}): { static: KeyPair; payload: Uint8Array; cert: Uint8Array } {
    const pair = x25519Pair(this.prng);
    const cert = this.certificate(role, pair.publicKey, claims);
    return { static: pair, payload: cert, cert };
  }

  /** Presence held for `ms` then released (the button gesture). */
  press(ms: number): void {
    this.access.presence.set(true);
    this.clock.advance(ms);
    this.access.presence.set(false);
  }
}

export const EMPTY_PAYLOAD = new Uint8Array(0);
