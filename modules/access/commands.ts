// Access-control commands (docs/access-control.md, "Command table"). Who may run each one is
// decided by the policy table (policy.ts), never here; handlers only check the device state.
import type { CborValue } from '../core/cbor.js';
import { defineCommand, fail, ok } from '../channel/commands.js';
import type { CommandSpec, SessionView } from '../channel/commands.js';
import { NO_ARGS, s } from '../channel/schema.js';
import type { AccessControl } from './access-control.js';
import type { Audience } from './alerts.js';
import { KEY_ID_BYTES } from './key-id.js';
import { MAX_CERT_BYTES } from './certificate.js';
import { isAccessPrincipal } from './principal.js';
import { PAIRING_COMMITMENT_BYTES, PAIRING_NONCE_BYTES } from './sas.js';
import { AccessStatus } from './status.js';

/** Most audit entries one request returns (keeps a response within a few BLE packets). */
export const AUDIT_PAGE = 16;
const MAX_TRUST_UPDATE_BYTES = 1024;

function record(entries: [string, CborValue | undefined][]): Map<string, CborValue> {
  const out = new Map<string, CborValue>();
  for (const [key, value] of entries) if (value !== undefined) out.set(key, value);
  return out;
}

/** A phone reads and acknowledges its own view; clinic programmers share one. */
function audienceOf(session: SessionView): Audience {
  return session.principal.role === 'patient' ? session.principal.keyId : 'clinician';
}

function pairingSession(session: SessionView) {
  return { handshakeHash: session.handshakeHash, keyId: session.principal.keyId };
}

export function accessCommands(access: AccessControl): CommandSpec[] {
  const { deps } = access;
  const status = (code: number) => (code === 0 ? ok() : fail(code));
  return [
    defineCommand({
      name: 'access.whoami',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: (_args, { session }) => {
        const p = session.principal;
        return ok(record([['role', p.role], ['keyId', p.keyId], ['credential', isAccessPrincipal(p) ? p.credential : undefined]]));
      },
    }),
    defineCommand({
      name: 'access.time.get',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: () => ok(record([['now', access.time.now() ?? null], ['floor', access.time.floor()]])),
    }),
    defineCommand({
      name: 'access.time.set',
      args: s.struct({ seconds: s.uint32() }),
      maxArgBytes: 24,
      handler: ({ seconds }, { session }) => {
        // Only the manufacturer at the device may move the persistent floor beyond what the device vouches for.
        const vouches = session.principal.role === 'manufacturer' && session.physicalPresence();
        const result = access.time.set(seconds, { vouches });
        return result.ok ? ok() : fail(result.status);
      },
    }),
    defineCommand({
      name: 'access.bonds.list',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: () => ok(deps.bonds.list().map((b) => record([['keyId', b.keyId], ['bondedAt', b.bondedAt]]))),
    }),
    defineCommand({
      name: 'access.bonds.remove',
      args: s.struct({ keyId: s.bytes(KEY_ID_BYTES, KEY_ID_BYTES) }),
      maxArgBytes: 24,
      handler: ({ keyId }) => {
        if (!deps.bonds.remove(keyId)) return fail(AccessStatus.NO_SUCH_BOND);
        access.alerts.raise('bond-removed');
        return ok();
      },
    }),
    defineCommand({
      name: 'access.bonds.remove-all',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: () => {
        const bonds = deps.bonds.list();
        for (const bond of bonds) deps.bonds.remove(bond.keyId);
        if (bonds.length > 0) access.alerts.raise('bond-removed');
        return ok(record([['removed', bonds.length]]));
      },
    }),
    defineCommand({
      name: 'access.unbond-self',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: (_args, { session }) => {
        if (!deps.bonds.remove(session.principal.keyId)) return fail(AccessStatus.NO_SUCH_BOND);
        access.alerts.raise('bond-removed');
        return ok();
      },
    }),
    defineCommand({
      name: 'access.pairing.commit',
      args: s.struct({ commitment: s.bytes(PAIRING_COMMITMENT_BYTES, PAIRING_COMMITMENT_BYTES) }),
      maxArgBytes: PAIRING_COMMITMENT_BYTES + 16,
      handler: ({ commitment }, { session }) => {
        const result = access.pairingCode.commit(pairingSession(session), commitment);
        return result.ok ? ok(record([['nonce', result.deviceNonce]])) : fail(result.status);
      },
    }),
    defineCommand({
      name: 'access.pairing.reveal',
      args: s.struct({ nonce: s.bytes(PAIRING_NONCE_BYTES, PAIRING_NONCE_BYTES) }),
      maxArgBytes: PAIRING_NONCE_BYTES + 16,
      handler: ({ nonce }, { session }) => status(access.pairingCode.reveal(pairingSession(session), nonce)),
    }),
    defineCommand({
      name: 'access.alerts.read',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: (_args, { session }) => ok(access.alerts.pending(audienceOf(session)).map((a) => record([['kind', a.kind], ['count', a.count]]))),
    }),
    defineCommand({
      name: 'access.alerts.ack',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: (_args, { session }) => ok(record([['acknowledged', access.alerts.acknowledge(audienceOf(session))]])),
    }),
    defineCommand({
      name: 'access.audit.read',
      args: s.struct({ from: s.uint32(), count: s.int(1, AUDIT_PAGE) }),
      maxArgBytes: 32,
      handler: ({ from, count }) => {
        const { first, next } = deps.auditReader.range();
        const start = Math.max(from, first);
        const entries = start < next ? deps.auditReader.read(start, Math.min(count, next - start)) : [];
        return ok(record([['first', first], ['next', next], ['entries', entries]]));
      },
    }),
    defineCommand({
      // First contact (docs/access-control.md, "First contact"): the device's static key and the
      // device certificate that binds it, for a programmer that learned the key over XX to check.
      name: 'access.identity.get',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: () => {
        const identity = access.identity.identity();
        return ok(record([['staticKey', identity.staticPublic], ['certificate', identity.certificate ?? null]]));
      },
    }),
    defineCommand({
      name: 'access.keys.list',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: () => ok(record([
        ['sequence', access.trust.sequence()],
        ['roots', access.trust.slots().map((r) => record([['slot', r.slot], ['keyId', r.keyId], ['revoked', r.revoked]]))],
      ])),
    }),
    defineCommand({
      name: 'access.keys.update',
      args: s.struct({ update: s.bytes(MAX_TRUST_UPDATE_BYTES, 1) }),
      maxArgBytes: MAX_TRUST_UPDATE_BYTES + 16,
      handler: ({ update }) => {
        const code = access.trust.applyUpdate(update);
        if (code === 0) access.alerts.raise('trust-changed');
        return status(code);
      },
    }),
    defineCommand({
      name: 'access.provision',
      args: s.struct({ certificate: s.bytes(MAX_CERT_BYTES, 1) }),
      maxArgBytes: MAX_CERT_BYTES + 24,
      handler: ({ certificate }) => status(access.identity.install(certificate)),
    }),
  ];
}
