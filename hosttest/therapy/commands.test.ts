// Therapy commands through the channel's dispatcher: schemas bound the arguments, the therapy
// machine checks the grid and the limits, refusals name the parameter, and a dead machine
// answers THERAPY_UNAVAILABLE.
import assert from 'node:assert/strict';
import { ClockPaceTimer } from '../../modules/therapy/pace-timer.js';
import { CommandDispatcher, encodeRequest } from '../../modules/channel/commands.js';
import type { SessionView } from '../../modules/channel/commands.js';
import { Status } from '../../modules/channel/status.js';
import { decodeCbor } from '../../modules/core/cbor.js';
import type { CborValue } from '../../modules/core/cbor.js';
import { therapyCommands } from '../../modules/therapy-control/commands.js';
import { TherapyStatus } from '../../modules/therapy/status.js';
import { TherapySupervisor } from '../../modules/therapy-control/supervisor.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { inProcessWorker } from './in-process-worker.js';
import type { InProcessWorker } from './in-process-worker.js';

const session: SessionView = {
  id: 1, handshakeHash: new Uint8Array(32), pattern: 'IK', physicalPresence: () => false,
  principal: { role: 'clinician', keyId: new Uint8Array(8), staticKey: new Uint8Array(32) },
};

function setup() {
  const clock = new VirtualClock(0);
  let worker: InProcessWorker | undefined;
  const backupPaces: number[] = [];
  const supervisor = new TherapySupervisor({
    clock,
    createWorker: () => (worker = inProcessWorker(clock)),
    openBackupIO: () => ({ paceTimer: new ClockPaceTimer(clock, () => void backupPaces.push(clock.now())), onVentricularSense: () => {} }),
  });
  const dispatcher = new CommandDispatcher({ commands: therapyCommands(supervisor), policy: { authorize: () => Status.OK, completed: () => {} } });
  let id = 0;
  const call = async (name: string, args: CborValue = new Map()): Promise<[number, CborValue]> => {
    const pending = dispatcher.dispatch(encodeRequest(++id, name, args), session);
    clock.advance(5);
    const [, status, result] = decodeCbor(await pending) as [number, number, CborValue];
    return [status, result];
  };
  return { clock, supervisor, call, worker: () => worker!, backupPaces };
}

const map = (entries: Record<string, CborValue>): Map<string, CborValue> => new Map(Object.entries(entries));

describe('therapy commands', () => {
  it('programs, interrogates and reads markers', async () => {
    const t = setup();
    const [status] = await t.call('therapy.program', map({ mode: 'VVI', lrl: 70 }));
    assert.equal(status, Status.OK);
    t.clock.advance(5000);
    const [s2, state] = await t.call('therapy.interrogate');
    assert.equal(s2, Status.OK);
    const result = state as Map<string, CborValue>;
    assert.equal(result.get('state'), 'permanent');
    assert.equal((result.get('permanent') as Map<string, CborValue>).get('lrl'), 70);
    const [s3, page] = await t.call('therapy.markers', map({ from: 0, max: 8 }));
    assert.equal(s3, Status.OK);
    const markers = (page as Map<string, CborValue>).get('markers') as [number, string][];
    assert.deepEqual(markers.slice(0, 3).map((m) => m[1]), ['POR', 'VP', 'PRM']);
    t.supervisor.close();
  });

  it('bounds arguments by schema, then by the grid and limits, naming the parameter', async () => {
    const t = setup();
    assert.equal((await t.call('therapy.program', map({ lrl: 300 })))[0], Status.INVALID_ARGS);
    assert.equal((await t.call('therapy.program', map({ bogus: 1 })))[0], Status.INVALID_ARGS);
    assert.equal((await t.call('therapy.program', map({ mode: 'XYZ' })))[0], Status.INVALID_ARGS);
    const [range, why] = await t.call('therapy.program', map({ url: 61 }));
    assert.equal(range, TherapyStatus.PARAMETER_RANGE);
    assert.equal((why as Map<string, CborValue>).get('parameter'), 'url');
    const [conflict, why2] = await t.call('therapy.program', map({ lrl: 100, url: 100 }));
    assert.equal(conflict, TherapyStatus.PARAMETER_CONFLICT);
    assert.equal((why2 as Map<string, CborValue>).get('parameter'), 'url');
    assert.equal((await t.call('therapy.end-temporary'))[0], TherapyStatus.THERAPY_STATE);
    t.supervisor.close();
  });

  it('temporary programming, Pace-Now, counters and safe mode', async () => {
    const t = setup();
    assert.equal((await t.call('therapy.program-temporary', map({ mode: 'VOO', lrl: 90 })))[0], Status.OK);
    assert.equal((await t.call('therapy.end-temporary'))[0], Status.OK);
    assert.equal((await t.call('therapy.pace-now'))[0], Status.OK);
    assert.equal((await t.call('therapy.reset-counters'))[0], Status.OK);
    assert.equal((await t.call('therapy.clear-safe-mode'))[0], TherapyStatus.THERAPY_STATE);
    const [, state] = await t.call('therapy.interrogate');
    assert.equal((state as Map<string, CborValue>).get('state'), 'pace-now');
    t.supervisor.close();
  });

  it('the program reply lists the parameters that have no effect in the mode (Table 6)', async () => {
    const t = setup();
    const [status, reply] = await t.call('therapy.program', map({ mode: 'VVT', hysteresis: 50, avDelay: 200, lrl: 70 }));
    assert.equal(status, Status.OK);
    assert.deepEqual(((reply as Map<string, CborValue>).get('ignored') as string[]).sort(), ['avDelay', 'hysteresis']);
    const [, none] = await t.call('therapy.program', map({ mode: 'DDD', avDelay: 200 }));
    assert.deepEqual((none as Map<string, CborValue>).get('ignored'), []);
    t.supervisor.close();
  });

  it('the sensing-only modes are temporary-only (§3.5)', async () => {
    const t = setup();
    assert.equal((await t.call('therapy.program', map({ mode: 'OAO' })))[0], Status.INVALID_ARGS);
    assert.equal((await t.call('therapy.program-temporary', map({ mode: 'ODO' })))[0], Status.OK);
    t.clock.advance(3000);
    const [, state] = await t.call('therapy.interrogate');
    assert.equal(((state as Map<string, CborValue>).get('engine') as Map<string, CborValue>).get('effectiveMode'), 'ODO');
    t.supervisor.close();
  });

  it('answers THERAPY_UNAVAILABLE once the therapy machine is gone, while the backup paces', async () => {
    const t = setup();
    t.clock.advance(2000);
    t.worker().service.stop(); // the machine hangs: no more heartbeats
    t.clock.advance(2000);
    assert.equal(t.supervisor.mode, 'backup');
    assert.ok(t.worker().terminated);
    assert.ok(t.backupPaces.length >= 1);
    assert.equal((await t.call('therapy.interrogate'))[0], TherapyStatus.THERAPY_UNAVAILABLE);
    t.supervisor.close();
  });
});
