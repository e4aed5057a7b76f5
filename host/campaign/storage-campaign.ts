// The power-cut campaign behind `npm run campaign:storage` and the small campaign in the tests.
// Following MCUboot's simulator (cut at every flash operation, then random multi-cut runs), and
// going further: every cut is also tried torn, a partial program or erase of the target bytes.
// A "device" is one NorFlash holding both rings; a workload of parameter saves, bond changes,
// counter raises and audit appends runs on it; after every cut the device reboots (itself
// possibly cut) and the checker compares what storage shows with what was acknowledged.
import { toHex } from '../../modules/core/bytes.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import type { AuditEntry, AuditEvent } from '../../modules/storage/audit-entry.js';
import { verifyAuditExport } from '../../modules/storage/audit-export.js';
import { COUNTER_IDS, type CounterName } from '../../modules/storage/counters.js';
import type { ParamsCodec } from '../../modules/storage/params-store.js';
import { openStorage, type Storage } from '../../modules/storage/storage.js';
import { Prng } from '../lib/prng.js';
import { NorFlash, PowerCut } from '../sim/nor-flash.js';

export interface CampaignSummary {
  /** Power cuts that fired (each followed by a reboot). */
  cuts: number;
  /** Of those, cuts that tore the interrupted operation. */
  torn: number;
  /** Random multi-cut runs. */
  seeds: number;
  /** Cuts after which the device rebooted (through any further cuts) and passed every check. */
  recovered: number;
  lost_acknowledged: number;
  counter_regressions: number;
  chain_failures: number;
  /** Values that were neither the acknowledged nor the in-flight one. */
  half_visible: number;
  /** Exceptions other than a power cut (a crash on the device). */
  crashes: number;
  /** Boots that reported damaged records although only power cuts happened (false alarms). */
  false_corruption: number;
  /** Erase and program operations of the cut-free workload runs, per geometry. */
  workload_ops: Record<string, number>;
}

export function emptySummary(): CampaignSummary {
  return { cuts: 0, torn: 0, seeds: 0, recovered: 0, lost_acknowledged: 0, counter_regressions: 0, chain_failures: 0, half_visible: 0, crashes: 0, false_corruption: 0, workload_ops: {} };
}

export function addSummary(into: CampaignSummary, from: CampaignSummary): void {
  for (const key of ['cuts', 'torn', 'seeds', 'recovered', 'lost_acknowledged', 'counter_regressions', 'chain_failures', 'half_visible', 'crashes', 'false_corruption'] as const) into[key] += from[key];
  Object.assign(into.workload_ops, from.workload_ops);
}

export const ERASE_SIZE = 4096;
export const WRITE_SIZES = Object.freeze([1, 4, 8]);
const RECORD_SECTORS = 3;
const AUDIT_SECTORS = 3;
const COUNTERS = Object.keys(COUNTER_IDS) as CounterName[];
const BOND_IDS = 6;

/** Therapy-like parameters for the campaign: 48 bytes starting with 0x50, defaults all zero. */
const codec: ParamsCodec<Uint8Array> = {
  encode: (value) => value,
  decode: (bytes) => (bytes.length === 48 && bytes[0] === 0x50 ? bytes : undefined),
  defaults: () => new Uint8Array(48),
};

type Op =
  | { kind: 'params'; value: Uint8Array }
  | { kind: 'bond-put'; id: Uint8Array; value: Uint8Array }
  | { kind: 'bond-remove'; id: Uint8Array }
  | { kind: 'counter'; name: CounterName; by: number }
  | { kind: 'audit'; event: AuditEvent };

/** A workload of `length` operations drawn from `seed`. */
export function makeWorkload(seed: number, length: number): Op[] {
  const rng = new Prng(seed);
  const ops: Op[] = [];
  for (let i = 0; i < length; i++) {
    const pick = rng.int(0, 99);
    if (pick < 14) {
      const value = rng.bytes(48);
      value[0] = 0x50;
      ops.push({ kind: 'params', value });
    } else if (pick < 30) ops.push({ kind: 'bond-put', id: Uint8Array.of(rng.int(1, BOND_IDS), 0xb0), value: rng.bytes(rng.int(32, 400)) });
    else if (pick < 37) ops.push({ kind: 'bond-remove', id: Uint8Array.of(rng.int(1, BOND_IDS), 0xb0) });
    else if (pick < 60) ops.push({ kind: 'counter', name: COUNTERS[rng.int(0, COUNTERS.length - 1)], by: rng.int(1, 3) });
    else {
      let detail = '';
      for (let n = rng.int(0, 120); n > 0; n--) detail += String.fromCharCode(rng.int(0x20, 0x7e));
      ops.push({ kind: 'audit', event: { event: ['auth.handshake', 'therapy.program', 'ota.confirm', 'bond.add'][rng.int(0, 3)], actor: { role: ['clinician', 'patient', 'manufacturer'][rng.int(0, 2)], keyId: toHex(rng.bytes(4)) }, outcome: rng.int(0, 3) ? 'ok' : 'denied', detail } });
    }
  }
  return ops;
}

/** What has been acknowledged, and the one operation in flight when power went. */
interface Model {
  params: Uint8Array | undefined;
  bonds: Map<string, Uint8Array>;
  counters: Map<CounterName, number>;
  audit: Map<number, AuditEntry>;
  lastAudit: number;
  pending: { op: Op; counterValue?: number } | undefined;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));
}

function sameEvent(a: AuditEntry, b: AuditEvent): boolean {
  return a.event === b.event && a.outcome === b.outcome && a.actor.role === b.actor.role && a.actor.keyId === b.actor.keyId && (a.detail ?? '') === (b.detail ?? '');
}

/** Cuts power at chosen flash operations: how each run decides where the next cut falls. */
export interface CutPlanner {
  /** Called before the workload starts and after each reboot begins; may arm the next cut. */
  arm(flash: NorFlash): void;
}

/** Seeded crypto for reproducible runs: noble, with a deterministic random source. */
function seededCrypto(seed: number): CryptoProvider {
  const rng = new Prng(seed ^ 0x5eed);
  return { ...nobleProvider, randomBytes: (n: number) => rng.bytes(n) };
}

/**
 * Entries the audit log keeps at the least: a full sector holds at least 10 entries of the
 * largest size; up to 5 torn records may have wasted room in the one before the active sector.
 */
const AUDIT_MIN_RETAINED = 5;

class Run {
  readonly flash: NorFlash;
  readonly summary = emptySummary();
  private storage!: Storage;
  private readonly model: Model = { params: undefined, bonds: new Map(), counters: new Map(), audit: new Map(), lastAudit: 0, pending: undefined };
  private clock = 1_700_000_000_000;
  /** Cuts since the last check; each counts as recovered when the next check passes. */
  private unchecked = 0;
  private readonly crypto: CryptoProvider;
  /** Set to print where each failure was found (debugging a seed). */
  trace: ((line: string) => void) | undefined;
  sabotage: Sabotage | undefined;

  /** Starts from blank flash, or from `aged` cells (then the first boot's state is taken as acknowledged). */
  constructor(writeSize: number, seed: number, private readonly planner: CutPlanner, private readonly aged?: Uint8Array) {
    this.flash = new NorFlash({ size: (RECORD_SECTORS + AUDIT_SECTORS) * ERASE_SIZE, eraseSize: ERASE_SIZE, writeSize });
    if (aged) this.flash.cells.set(aged);
    this.crypto = seededCrypto(seed);
    for (const name of COUNTERS) this.model.counters.set(name, 0);
  }

  execute(ops: Op[]): void {
    if (this.aged) this.adopt();
    this.boot();
    for (const op of ops) {
      try {
        this.apply(op);
      } catch (error) {
        this.countCut(error);
        this.boot();
      }
    }
    this.flash.armPowerCut(undefined);
    this.boot();
    this.verifyExport();
  }

  /** Boots, retrying through cuts during recovery itself, then checks against the model. */
  private boot(): void {
    for (;;) {
      this.flash.powerOn();
      this.planner.arm(this.flash);
      try {
        this.storage = this.open();
        break;
      } catch (error) {
        this.countCut(error);
      }
    }
    if (this.check()) this.summary.recovered += this.unchecked;
    this.unchecked = 0;
  }

  /** Boots without a cut and takes what storage shows as the acknowledged state. */
  private adopt(): void {
    this.storage = this.open();
    this.model.pending = undefined;
    this.check(true);
  }

  private open(): Storage {
    return openStorage(
      { records: sliceArea(this.flash, 0, RECORD_SECTORS), audit: sliceArea(this.flash, RECORD_SECTORS, AUDIT_SECTORS) },
      { crypto: this.crypto, now: () => (this.clock += 1000) },
    );
  }

  private fault(kind: 'lost_acknowledged' | 'half_visible' | 'chain_failures' | 'counter_regressions' | 'false_corruption', where: string): void {
    this.summary[kind]++;
    this.trace?.(`${kind} (${where}) at flash op ${this.flash.ops}`);
  }

  /** Counts a power cut; anything else is a crash and propagates. */
  private countCut(error: unknown): void {
    if (!(error instanceof PowerCut)) throw error;
    this.summary.cuts++;
    this.unchecked++;
    if (error.torn) this.summary.torn++;
  }

  private apply(op: Op): void {
    const s = this.storage;
    const m = this.model;
    m.pending = { op };
    switch (op.kind) {
      case 'params':
        s.params(codec).save(op.value);
        m.params = op.value;
        break;
      case 'bond-put':
        s.bonds.put(op.id, op.value);
        m.bonds.set(toHex(op.id), op.value);
        break;
      case 'bond-remove':
        s.bonds.remove(op.id);
        m.bonds.delete(toHex(op.id));
        break;
      case 'counter': {
        const value = m.counters.get(op.name)! + op.by;
        m.pending.counterValue = value;
        s.counters.raise(op.name, value);
        m.counters.set(op.name, value + (this.sabotage?.claimExtraCounter ? 1 : 0));
        break;
      }
      case 'audit': {
        const entry = s.audit.append(op.event);
        m.audit.set(entry.seq, entry);
        m.lastAudit = entry.seq;
        m.audit.delete(entry.seq - 200);
        break;
      }
    }
    m.pending = undefined;
  }

  /** Compares storage with the model, counts failures, then adopts what storage shows. */
  private check(adoptOnly = false): boolean {
    const s = this.storage;
    const m = this.model;
    const pending = m.pending?.op;
    const before = { ...this.summary };
    if (adoptOnly) return this.adoptState(s.params(codec).load(), s.audit.entries(), s.audit.lastSeq);

    const loaded = s.params(codec).load();
    const stored = loaded.source === 'stored' ? loaded.value : undefined;
    if (!sameBytes(stored, m.params) && !(pending?.kind === 'params' && sameBytes(stored, pending.value))) {
      if (stored === undefined) this.fault('lost_acknowledged', 'params dropped');
      else this.fault('half_visible', 'params neither old nor new');
    }

    const ids = new Set([...m.bonds.keys(), ...s.bonds.list().map((b) => toHex(b.id))]);
    if (pending?.kind === 'bond-put' || pending?.kind === 'bond-remove') ids.add(toHex(pending.id));
    for (const id of ids) {
      const seen = s.bonds.list().find((b) => toHex(b.id) === id)?.value;
      const acked = m.bonds.get(id);
      if (sameBytes(seen, acked)) continue;
      const inFlight = pending && (pending.kind === 'bond-put' || pending.kind === 'bond-remove') && toHex(pending.id) === id;
      if (inFlight && sameBytes(seen, pending.kind === 'bond-put' ? pending.value : undefined)) continue;
      if (acked !== undefined && seen === undefined) this.fault('lost_acknowledged', 'bond dropped');
      else this.fault('half_visible', 'bond neither old nor new');
    }

    for (const name of COUNTERS) {
      const seen = s.counters.get(name);
      const acked = m.counters.get(name)!;
      if (seen < acked) {
        this.fault('counter_regressions', 'counter went backwards');
        this.fault('lost_acknowledged', 'counter below acknowledged');
      } else if (seen !== acked && !(pending?.kind === 'counter' && pending.name === name && seen === m.pending!.counterValue)) {
        this.fault('half_visible', 'counter neither old nor new');
      }
    }

    const reports = [s.report.records, s.report.audit.ring];
    if (reports.some((r) => r.corruptSlots.length > 0 || r.unreadableSectors.length > 0) || s.report.damagedBonds.length || s.report.damagedSecrets.length) {
      this.fault('false_corruption', 'damage reported after power cuts only');
    }
    if (s.audit.report.fault) this.fault('chain_failures', 'audit chain fault at mount');
    const entries = s.audit.entries();
    const first = entries.length ? entries[0].seq : 0;
    const last = s.audit.lastSeq;
    if (entries.some((e, i) => e.seq !== first + i) || (entries.length && entries[entries.length - 1].seq !== last)) this.fault('chain_failures', 'audit entries not contiguous');
    if (entries.length < Math.min(last, AUDIT_MIN_RETAINED)) this.fault('lost_acknowledged', `audit log keeps only ${entries.length} entries`);
    for (const [seq, acked] of m.audit) {
      if (seq < first) continue;
      const seen = entries[seq - first];
      if (!seen || seen.time !== acked.time || !sameEvent(seen, acked)) this.fault('lost_acknowledged', 'acknowledged audit entry missing or changed');
    }
    if (last < m.lastAudit) this.fault('lost_acknowledged', 'audit log shorter than acknowledged');
    for (const e of entries) {
      if (e.seq <= m.lastAudit) continue;
      const isPending = e.seq === m.lastAudit + 1 && pending?.kind === 'audit' && sameEvent(e, pending.event);
      const isRecovery = e.actor.role === 'device' && /^(storage|audit)\./.test(e.event);
      if (!isPending && !isRecovery) this.fault('half_visible', 'unexpected audit entry');
    }

    this.adoptState(loaded, entries, last);
    return ['lost_acknowledged', 'counter_regressions', 'chain_failures', 'half_visible', 'false_corruption'].every((k) => this.summary[k as 'cuts'] === before[k as 'cuts']);
  }

  /** Adopts what the device now shows: it is all on flash, hence acknowledged from here on. */
  private adoptState(loaded: { value: Uint8Array; source: string }, entries: AuditEntry[], last: number): true {
    const s = this.storage;
    const m = this.model;
    m.params = loaded.source === 'stored' ? loaded.value : undefined;
    m.bonds = new Map(s.bonds.list().map((b) => [toHex(b.id), b.value]));
    for (const name of COUNTERS) m.counters.set(name, s.counters.get(name));
    m.audit = new Map(entries.slice(-200).map((e) => [e.seq, e]));
    m.lastAudit = last;
    m.pending = undefined;
    return true;
  }

  /** The clinician's view: the exported log verifies with the device key and the MAC key. */
  private verifyExport(): void {
    const deviceKey = new Uint8Array(32).fill(9);
    const exported = this.storage.exportAudit((digest) => nobleProvider.ed25519.sign(digest, deviceKey));
    const result = verifyAuditExport(exported, { crypto: nobleProvider, devicePublicKey: nobleProvider.ed25519.publicKey(deviceKey) });
    if (!result.valid) this.fault('chain_failures', 'exported log does not verify');
  }
}

const AGING = Object.freeze({ seed: 77, length: 300 });
/** Aged flash images by write size, made once per process (not at module scope: preload rule). */
let agedImages: Map<number, Uint8Array> | undefined;

/**
 * Flash after a long cut-free workload: both rings have wrapped, so every later run garbage-
 * collects, rolls the audit log over and erases sectors within a few dozen operations.
 */
export function agedImage(writeSize: number): Uint8Array {
  agedImages ??= new Map();
  let image = agedImages.get(writeSize);
  if (!image) {
    const run = new Run(writeSize, AGING.seed, { arm() {} });
    run.execute(makeWorkload(AGING.seed, AGING.length));
    image = run.flash.cells.slice();
    agedImages.set(writeSize, image);
  }
  return image;
}

/** Runs a workload under a planner; exceptions other than power cuts count as crashes. */
function runOnce(writeSize: number, seed: number, ops: Op[], planner: CutPlanner, trace?: (line: string) => void, sabotage?: Sabotage): CampaignSummary {
  const run = new Run(writeSize, seed, planner, agedImage(writeSize));
  run.trace = trace;
  run.sabotage = sabotage;
  try {
    run.execute(ops);
  } catch {
    run.summary.crashes++;
  }
  return run.summary;
}

export const EXHAUSTIVE_WORKLOAD = Object.freeze({ seed: 20261128, length: 120 });

/** Cut-free run: how many erase and program operations the workload takes on this geometry. */
export function countWorkloadOps(writeSize: number, ops: Op[]): number {
  const run = new Run(writeSize, EXHAUSTIVE_WORKLOAD.seed, { arm() {} }, agedImage(writeSize));
  run.execute(ops);
  return run.flash.ops;
}

/**
 * Cuts at every operation 1..N of the fixed workload (N from a cut-free run, boots included),
 * once cleanly and once torn, for one geometry; after each cut the device reboots, is checked,
 * runs the rest of the workload and is checked again. `only` restricts to a subset (for workers).
 */
export function runExhaustive(writeSize: number, only?: (at: number) => boolean): CampaignSummary {
  const ops = makeWorkload(EXHAUSTIVE_WORKLOAD.seed, EXHAUSTIVE_WORKLOAD.length);
  const total = countWorkloadOps(writeSize, ops);
  const summary = emptySummary();
  summary.workload_ops[`write${writeSize}`] = total;
  for (let at = 1; at <= total; at++) {
    if (only && !only(at)) continue;
    for (const torn of [false, true]) {
      let armed = false;
      const planner: CutPlanner = {
        arm(flash) {
          if (armed) return;
          armed = true;
          flash.armPowerCut({ at, torn, seed: at });
        },
      };
      addSummary(summary, runOnce(writeSize, at, ops, planner));
    }
  }
  return summary;
}

/** MCUboot-style random runs: each seed draws a workload and up to 5 cuts, each torn or not. */
/** Test-only: make the model claim what storage never acknowledged, to prove the checker sees it. */
export interface Sabotage {
  claimExtraCounter?: boolean;
}

export function runSeed(seed: number, trace?: (line: string) => void, sabotage?: Sabotage): CampaignSummary {
  const rng = new Prng(seed);
  const writeSize = WRITE_SIZES[seed % WRITE_SIZES.length];
  const ops = makeWorkload(seed, rng.int(20, 80));
  let cutsLeft = rng.int(1, 5);
  // As MCUboot does, each cut falls in the first half of the operations estimated to remain.
  const estimatedOps = 40 + 3 * ops.length;
  const planner: CutPlanner = {
    arm(flash) {
      if (cutsLeft === 0) return;
      cutsLeft--;
      const remaining = Math.max(8, estimatedOps - flash.ops);
      flash.armPowerCut({ at: flash.ops + rng.int(1, remaining >> 1), torn: rng.int(0, 1) === 1, seed: rng.nextU32() });
    },
  };
  const summary = runOnce(writeSize, seed, ops, planner, trace, sabotage);
  summary.seeds = 1;
  return summary;
}
