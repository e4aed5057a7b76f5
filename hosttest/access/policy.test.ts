// The policy table against the commands the firmware registers: one row per command and one
// command per row, every command refused for every role not in its row (with the documented
// code, and without its handler running), presence enforced as the second factor, and emergency
// rights ending with time or with presence.
// @req SEC-05, SEC-06 (docs/traceability.md)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Authorizer, MAX_LOGGED_REFUSALS } from '../../modules/access/authorizer.js';
import { POLICY, policyFor } from '../../modules/access/policy.js';
import { EMERGENCY } from '../../modules/access/principal.js';
import type { AccessPrincipal } from '../../modules/access/principal.js';
import { ROLES } from '../../modules/access/roles.js';
import type { Role } from '../../modules/access/roles.js';
import { AccessStatus } from '../../modules/access/status.js';
import { CommandDispatcher, encodeRequest } from '../../modules/channel/commands.js';
import type { CommandSpec, SessionView } from '../../modules/channel/commands.js';
import { Status } from '../../modules/channel/status.js';
import { decodeCbor } from '../../modules/core/cbor.js';
import { firmwareCommands } from './firmware-commands.js';
import { Device } from '../../host/fixtures/access-device.js';

let sessions = 0;

function session(device: Device, role: Role, presence: boolean, expiresAtMs?: number): SessionView {
  const principal: AccessPrincipal = {
    role,
    keyId: new Uint8Array(8).fill(role.length),
    staticKey: new Uint8Array(32),
    credential: role === 'emergency' ? 'presence' : role === 'patient' ? 'bond' : 'certificate',
    expiresAtMs: role === 'emergency' ? (expiresAtMs ?? device.clock.now() + EMERGENCY.SESSION_MS) : undefined,
  };
  return { id: ++sessions, principal, handshakeHash: new Uint8Array(32), pattern: 'IK', physicalPresence: () => presence };
}

/** Wraps every handler so the test sees whether it ran. */
function spied(specs: CommandSpec[], ran: string[]): CommandSpec[] {
  return specs.map((spec) => ({ ...spec, handler: (args: never, ctx: never) => (ran.push(spec.name), spec.handler(args, ctx)) }));
}

function status(response: Uint8Array | Promise<Uint8Array>): number {
  assert.ok(response instanceof Uint8Array, 'access commands answer synchronously');
  return (decodeCbor(response) as number[])[1];
}

describe('access: policy table', () => {
  it('has exactly one row per registered command and one registered command per row', () => {
    const names = firmwareCommands(new Device()).map((c) => c.name).sort();
    assert.equal(new Set(names).size, names.length, 'command names are unique');
    assert.deepEqual(Object.keys(POLICY).sort(), names);
  });

  it('is documented row for row in docs/access-control.md', () => {
    const doc = readFileSync(new URL('../../docs/access-control.md', import.meta.url), 'utf8');
    const rows = new Map<string, string>();
    for (const m of doc.matchAll(/^\| `([a-z0-9.-]+)` \| ([a-z, ]+) \| (yes)? ?\| (yes)? ?\|/gm)) rows.set(m[1], `${m[2]}|${m[3] === 'yes'}|${m[4] === 'yes'}`);
    for (const [name, row] of Object.entries(POLICY)) {
      assert.equal(rows.get(name), `${row.roles.join(', ')}|${row.presence}|${row.logged}`, `docs row for ${name}`);
    }
    assert.equal(rows.size, Object.keys(POLICY).length, 'no documented command that the table lacks');
  });

  it('names only known roles, and never an empty row', () => {
    for (const [name, row] of Object.entries(POLICY)) {
      assert.ok(row.roles.length > 0, name);
      for (const role of row.roles) assert.ok((ROLES as readonly string[]).includes(role), `${name}: ${role}`);
    }
  });

  it('has no command that reads or writes raw memory or flash', () => {
    for (const name of Object.keys(POLICY)) assert.doesNotMatch(name, /mem|peek|poke|flash|raw|address/i, name);
  });

  it('refuses every command for every role not in its row, before the handler runs', () => {
    const device = new Device();
    const ran: string[] = [];
    const specs = spied(firmwareCommands(device), ran);
    const dispatcher = new CommandDispatcher({ commands: specs, policy: device.access.authorizer });
    let refusals = 0;
    for (const spec of specs) {
      const row = policyFor(spec.name)!;
      for (const role of ROLES) {
        if (row.roles.includes(role)) continue;
        for (const presence of [false, true]) {
          const code = status(dispatcher.dispatch(encodeRequest(1, spec.name, new Map()), session(device, role, presence)));
          const expected = role === 'emergency' && !presence ? AccessStatus.EMERGENCY_ENDED : Status.DENIED;
          assert.equal(code, expected, `${spec.name} as ${role}${presence ? ' with presence' : ''}`);
          refusals++;
        }
      }
    }
    assert.deepEqual(ran, [], 'no refused handler ran');
    assert.ok(refusals > 40, `${refusals} refusals checked`);
    // Every refusal is in the audit log with the actor's role.
    assert.equal(device.audit.of('command.refused').length, refusals);
  });

  it('lets every role in a row through, and asks for presence where the row says so', () => {
    const device = new Device();
    const specs = firmwareCommands(device);
    for (const spec of specs) {
      const row = policyFor(spec.name)!;
      for (const role of row.roles) {
        const without = device.access.authorizer.authorize(spec, session(device, role, false));
        const withPresence = device.access.authorizer.authorize(spec, session(device, role, true));
        assert.equal(withPresence, Status.OK, `${spec.name} as ${role} with presence`);
        const expected = role === 'emergency' ? AccessStatus.EMERGENCY_ENDED : row.presence ? Status.PRESENCE_REQUIRED : Status.OK;
        assert.equal(without, expected, `${spec.name} as ${role} without presence`);
      }
    }
  });

  it('requires two factors for the high-risk commands', () => {
    for (const name of ['access.bonds.remove-all', 'access.keys.update', 'access.provision', 'ota.begin', 'ota.activate', 'therapy.program', 'therapy.program-temporary', 'therapy.clear-safe-mode']) {
      assert.equal(policyFor(name)?.presence, true, name);
    }
  });

  it('ends emergency rights after the time limit even with presence held', () => {
    const device = new Device();
    const authorizer = new Authorizer(device.clock, device.audit, () => ({ roles: ['emergency'], presence: false, logged: true }));
    const spec = firmwareCommands(device)[0];
    const s = session(device, 'emergency', true, device.clock.now() + 1000);
    assert.equal(authorizer.authorize(spec, s), Status.OK);
    device.clock.advance(1000);
    assert.equal(authorizer.authorize(spec, s), AccessStatus.EMERGENCY_ENDED);
  });

  it('audits the first refusals of a session one by one, then only counts them (flash wear)', () => {
    const device = new Device();
    const dispatcher = new CommandDispatcher({ commands: firmwareCommands(device), policy: device.access.authorizer });
    const s = session(device, 'patient', false);
    for (let i = 0; i < 50; i++) assert.equal(status(dispatcher.dispatch(encodeRequest(i, 'access.audit.read', new Map()), s)), Status.DENIED);
    assert.equal(device.audit.of('command.refused').length, MAX_LOGGED_REFUSALS);
    assert.equal(device.audit.of('command.refusals-suppressed').length, 1);
  });

  it('treats a command missing from the table as denied for everyone', () => {
    const device = new Device();
    const stray = { ...firmwareCommands(device)[0], name: 'debug.peek' };
    for (const role of ROLES) assert.equal(device.access.authorizer.authorize(stray, session(device, role, true)), Status.DENIED);
  });
});
