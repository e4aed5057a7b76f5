// Costs of the two most frequent storage writes, in steady state (rings already wrapped, so
// garbage collection and audit rollover are included, amortised over the calls), and of the
// mounts every boot pays:
//   storage.append.audit   one audit entry: encode, SHA-256 link, HMAC tag, CRC, two programs
//   storage.write.params   one therapy parameter set (48 bytes): AES-256-GCM seal, CRC, two programs
//   storage.mount.records  mount 4 wrapped blocks of records: scan, CRC every record, build the index
//   storage.mount.audit    mount 4 wrapped blocks of audit log: the same, then verify the whole
//                          chain (a SHA-256 and an HMAC per entry; native crypt on the device)
// Flash is a RAM stand-in with no cost of its own. Flash operations per write (measured in
// hosttest/storage/flash-cost.test.ts, quoted in docs/storage.md): about 2.1 programs (data,
// slot, and the ring's READY and copies amortised) and 0.03 erases (one per ~37 audit entries,
// one per ~40 parameter writes).
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { AuditLog } from '../../modules/storage/audit-log.js';
import { ParamsStore, type ParamsCodec } from '../../modules/storage/params-store.js';
import { RecordStore } from '../../modules/storage/record-store.js';
import { Sealer } from '../../modules/storage/sealer.js';
import { benchCase } from './types.js';
import { fixedBytes, ramFlash } from '../fixtures.js';

const fixed = (length: number, seed: number) => fixedBytes(length, seed, 29);

/** Benchmarks do the same work every run: nonces come from a counter here, never on a device. */
function fixedRandom(): CryptoProvider {
  let counter = 0;
  return { ...nobleProvider, randomBytes: (n: number) => fixed(n, counter++) };
}

const codec: ParamsCodec<Uint8Array> = { encode: (v) => v, decode: (b) => (b.length === 48 ? b : undefined), defaults: () => new Uint8Array(48) };
const event = { event: 'therapy.program', actor: { role: 'clinician', keyId: '5f3a9c01' }, outcome: 'ok', detail: 'lower rate 60 -> 70 ppm' };

/** A flash image with both rings wrapped: 4 blocks of records, 4 of audit log. */
function agedAreas() {
  const records = ramFlash(4);
  const audit = ramFlash(4);
  const store = new RecordStore(records);
  const sealer = new Sealer(fixedRandom(), fixed(32, 5));
  const params = new ParamsStore(store, sealer, codec);
  for (let i = 0; i < 200; i++) params.save(fixed(48, i));
  for (let k = 1; k <= 10; k++) store.put(0x2000 + k, fixed(100, k));
  const log = new AuditLog(audit, nobleProvider, fixed(32, 3), () => 1_767_225_600_000);
  for (let i = 0; i < 200; i++) log.append(event);
  return { records, audit };
}

export const cases = [
  benchCase({
    name: 'storage.append.audit',
    setup() {
      const log = new AuditLog(ramFlash(4), nobleProvider, fixed(32, 3), () => 1_767_225_600_000);
      for (let i = 0; i < 200; i++) log.append(event);
      return log;
    },
    run: (log) => log.append(event),
  }),
  benchCase({
    name: 'storage.write.params',
    setup() {
      const crypto = fixedRandom();
      const params = new ParamsStore(new RecordStore(ramFlash(4)), new Sealer(crypto, fixed(32, 5)), codec);
      const value = fixed(48, 9);
      for (let i = 0; i < 200; i++) params.save(value);
      return { params, value };
    },
    run: ({ params, value }) => params.save(value),
  }),
  benchCase({
    name: 'storage.mount.records',
    setup: agedAreas,
    run: ({ records }) => new RecordStore(records),
  }),
  benchCase({
    name: 'storage.mount.audit',
    setup: agedAreas,
    run: ({ audit }) => new AuditLog(audit, nobleProvider, fixed(32, 3), () => 0),
  }),
];
