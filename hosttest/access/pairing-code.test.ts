// The pairing-code exchange through the assembled firmware over the BLE shim
// (docs/access-control.md, "Comparing codes"): the console shows the phone's code only after the
// reveal; a phone that skips the exchange leaves no code and no bond behind.
import assert from 'node:assert/strict';
import { PAIRING_CODE } from '../../modules/access/pairing-code.js';
import { Status } from '../../modules/channel/status.js';
import { ClientError } from '../../programmer/client.js';
import { run } from '../../host/board/drive.js';
import { pair, pairingPress, phoneSession } from '../../host/board/phone-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { keyPair } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';

const codeLines = (b: Booted) => b.console.map((e) => e.text).filter((t) => t.startsWith('pairing code') || t.startsWith('pairing not confirmed'));

describe('access: the pairing code through the firmware', () => {
  it('shows the code the phone computed, after the reveal; the bond then serves IK', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const phone = keyPair(new Prng(51));
    const code = await pair(b, phone);
    assert.deepEqual(codeLines(b), [`pairing code ${code}`]);
    await run(b.clock, PAIRING_CODE.CONFIRM_MS);
    const s = await phoneSession(b, phone, 'IK');
    assert.equal((await s.call('access.whoami')).status, Status.OK);
    await s.close();
    b.firmware.stop();
  });

  it('a phone that skips the exchange gets no code on the device and loses its bond', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const phone = keyPair(new Prng(52));
    await pairingPress(b);
    const s = await phoneSession(b, phone, 'XX');
    assert.equal((await s.call('access.whoami')).status, Status.OK, 'a patient session meanwhile');
    await s.close();
    assert.deepEqual(codeLines(b), [], 'no code without the exchange');
    await run(b.clock, PAIRING_CODE.CONFIRM_MS);
    assert.deepEqual(codeLines(b), ['pairing not confirmed: bond removed']);
    assert.deepEqual(b.firmware.access!.deps.bonds.list(), []);
    await assert.rejects(phoneSession(b, phone, 'IK'), (e: ClientError) => e.code === 'alert', 'an unknown key again');
    b.firmware.stop();
  });
});
