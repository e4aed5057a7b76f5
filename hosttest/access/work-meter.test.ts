// The meter of bonded phones' work (modules/access/work-meter.ts): per session, per day with a
// continuous refill, patient sessions only; refused requests are charged but keep their answer.
import assert from 'node:assert/strict';
import { meteredPolicy, requestCostUj, WORK, WorkMeter } from '../../modules/access/work-meter.js';
import { defineCommand, ok } from '../../modules/channel/commands.js';
import type { SessionView } from '../../modules/channel/commands.js';
import { NO_ARGS } from '../../modules/channel/schema.js';
import { Status } from '../../modules/channel/status.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

const spec = defineCommand({ name: 'test.noop', args: NO_ARGS, maxArgBytes: 1, handler: () => ok() });
let ids = 0;
const session = (role = 'patient'): SessionView => ({
  id: ++ids, principal: { role, keyId: new Uint8Array(8), staticKey: new Uint8Array(32) }, handshakeHash: new Uint8Array(32), pattern: 'IK', physicalPresence: () => false,
});
const DAY_MS = 86_400_000;

describe('access: work meter', () => {
  it('charges the worst case of a request: radio at MTU 23, AEAD blocks, an audit write', () => {
    assert.equal(requestCostUj(spec), 320);
  });

  it('stops a session at its allowance and all patient sessions at the day\'s, which refills', () => {
    const clock = new VirtualClock();
    const meter = new WorkMeter(clock);
    const perSession = Math.floor(WORK.SESSION_UJ / requestCostUj(spec));
    const s = session();
    for (let i = 0; i < perSession; i++) assert.equal(meter.charge(spec, s), Status.OK);
    assert.equal(meter.charge(spec, s), Status.RATE_LIMITED);
    let ran = perSession;
    while (meter.charge(spec, session()) === Status.OK) ran++;
    assert.equal(ran, Math.floor(WORK.DAY_UJ / requestCostUj(spec)), 'the day\'s allowance, whatever the sessions');
    clock.advance(DAY_MS / 2);
    assert.ok(Math.abs(meter.remainingUj() - WORK.DAY_UJ / 2) < requestCostUj(spec), 'half a day refills half');
    assert.equal(meter.charge(spec, session()), Status.OK);
    assert.equal(meter.charge(spec, session('clinician')), Status.OK, 'certificate holders are not metered');
  });

  it('charges refused requests too, and they keep their own answer', () => {
    const meter = new WorkMeter(new VirtualClock());
    const policy = meteredPolicy({ authorize: () => Status.DENIED, completed: () => {} }, meter);
    const s = session();
    const before = meter.remainingUj();
    assert.equal(policy.authorize(spec, s), Status.DENIED);
    assert.equal(before - meter.remainingUj(), requestCostUj(spec));
  });
});
