// THE policy table (docs/access-control.md, "Command table"): for every command of the firmware,
// the roles that may run it, whether it also needs physical presence (the second factor of
// high-risk commands), and whether a successful run goes to the audit log (refusals, and
// everything an emergency session does, always do). Argument schemas and size limits live in
// each command's CommandSpec; a test proves this table and the registered specs match one to one.
// Anything not in this table is refused. No command reads or writes raw memory or flash.
// @req SEC-05, SEC-06 (docs/traceability.md)
import type { Role } from './roles.js';

export interface PolicyRow {
  readonly roles: readonly Role[];
  /** Two factors: the role's credential AND the magnet/button held when the command runs. */
  readonly presence: boolean;
  /** A successful run is written to the audit log. */
  readonly logged: boolean;
}

function row(roles: readonly Role[], presence: boolean, logged: boolean): PolicyRow {
  return Object.freeze({ roles: Object.freeze(roles.slice()), presence, logged });
}

const READ = false;
const LOG = true;
const PRESENCE = true;
const REMOTE = false;

export const POLICY: Readonly<Record<string, PolicyRow>> = Object.freeze({
  // --- therapy (modules/therapy-control/commands.ts). Reading status is open to the patient and to an
  // emergency team; any change to pacing needs the clinician AND the magnet, except Pace-Now,
  // which an emergency team may also start. Interrogation discloses patient data: logged.
  'therapy.interrogate': row(['patient', 'clinician', 'emergency'], REMOTE, LOG),
  'therapy.markers': row(['clinician'], REMOTE, READ),
  'therapy.program': row(['clinician'], PRESENCE, LOG),
  'therapy.program-temporary': row(['clinician'], PRESENCE, LOG),
  'therapy.end-temporary': row(['clinician'], REMOTE, LOG),
  'therapy.pace-now': row(['clinician', 'emergency'], PRESENCE, LOG),
  'therapy.reset-counters': row(['clinician'], REMOTE, LOG),
  'therapy.clear-safe-mode': row(['clinician'], PRESENCE, LOG),
  // Patient actions (modules/therapy-control/patient-range.ts): the patient moves the LRL only inside the
  // range the clinician set with the magnet; anything beyond it stays therapy.program's, which
  // takes two factors. A symptom mark is logged so the clinician finds it in the audit log.
  'therapy.patient-range.get': row(['patient', 'clinician'], REMOTE, READ),
  'therapy.patient-range.set': row(['clinician'], PRESENCE, LOG),
  'therapy.patient.set-rate': row(['patient'], REMOTE, LOG),
  'therapy.patient.symptom': row(['patient'], REMOTE, LOG),
  // --- access (modules/access/commands.ts) ---
  'access.whoami': row(['patient', 'clinician', 'manufacturer'], REMOTE, READ),
  'access.time.get': row(['patient', 'clinician', 'manufacturer'], REMOTE, READ),
  'access.time.set': row(['clinician', 'manufacturer'], REMOTE, LOG),
  'access.bonds.list': row(['patient', 'clinician'], REMOTE, READ),
  'access.bonds.remove': row(['clinician'], REMOTE, LOG),
  'access.bonds.remove-all': row(['clinician'], PRESENCE, LOG),
  'access.unbond-self': row(['patient'], REMOTE, LOG),
  // The pairing-code exchange of a bonding session (pairing-code.ts audits its own outcome).
  'access.pairing.commit': row(['patient'], REMOTE, READ),
  'access.pairing.reveal': row(['patient'], REMOTE, READ),
  'access.alerts.read': row(['patient', 'clinician'], REMOTE, READ),
  'access.alerts.ack': row(['patient', 'clinician'], REMOTE, LOG),
  'access.audit.read': row(['clinician'], REMOTE, LOG),
  'access.identity.get': row(['clinician', 'manufacturer'], REMOTE, READ),
  'access.keys.list': row(['clinician', 'manufacturer'], REMOTE, READ),
  'access.keys.update': row(['manufacturer'], PRESENCE, LOG),
  'access.provision': row(['manufacturer'], PRESENCE, LOG),
  // --- radio (modules/ble/commands.ts): the IRK lets its holder recognise the implant behind
  // every private address, so only those who already know the implant get it, and each is logged.
  'radio.irk.get': row(['patient', 'clinician'], REMOTE, LOG),
  // --- firmware update (modules/bootloader/commands.ts): manufacturer only; starting and
  // activating an update take two factors; chunks are not logged one by one (flash wear), the
  // transfer's begin, abort and activation are.
  'ota.status': row(['manufacturer'], REMOTE, READ),
  'ota.begin': row(['manufacturer'], PRESENCE, LOG),
  'ota.chunk': row(['manufacturer'], REMOTE, READ),
  'ota.abort': row(['manufacturer'], REMOTE, LOG),
  'ota.activate': row(['manufacturer'], PRESENCE, LOG),
});

export function policyFor(command: string): PolicyRow | undefined {
  return Object.prototype.hasOwnProperty.call(POLICY, command) ? POLICY[command] : undefined;
}
