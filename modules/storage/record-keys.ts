// Where each typed store keeps its records in the record store's 16-bit key space. One table,
// so two stores can never claim the same key.

export const RecordKeys = Object.freeze({
  /** The dev-board device secret, in two copies (see docs/storage.md, data at rest). */
  deviceSecret: 0x0001,
  deviceSecretCopy: 0x0002,
  /** Therapy parameters, sealed. */
  params: 0x0100,
  /** The clinician's patient range (modules/therapy-control/patient-range.ts), sealed. */
  patientRange: 0x0101,
  /** Device identity (keys, certificate), sealed, written once. */
  identity: 0x0200,
  /** Monotonic counters, copy A: 0x1000 + counter id. */
  counterA: 0x1000,
  /** Monotonic counters, copy B: 0x1100 + counter id. */
  counterB: 0x1100,
  /** Bonds, sealed: 0x2000 + slot. */
  bonds: 0x2000,
  /** Other secret keys, sealed: 0x2100 + slot. */
  secrets: 0x2100,
  /** Size of each numbered range above. */
  rangeSize: 0x100,
});
