// The update from the device's side, end to end on the simulated flash: staging with
// interruptions and resume, activation with its re-check, trial boot, confirm after the
// self-test only, and every way back to the old image.
// @req SEC-11 (docs/traceability.md)
import assert from 'node:assert/strict';
import { UpdateError } from '../../modules/bootloader/errors.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { UPDATE_ROLE } from '../../modules/bootloader/update-service.js';
import { crypto, manifestOf, ROOT, ROTATION, trustStore } from '../../host/fixtures/update-fixture.js';
import { activateAndReboot, BLOCK, CURRENT, newPackage, reboot, send, stage, updatedDevice } from './harness.js';
import { updateKeysFrom } from '../../modules/bootloader/keys.js';
import { FlashBootControl } from '../../modules/bootloader/boot-control.js';
import { BootRecordStore } from '../../modules/bootloader/boot-record.js';
import { TrialSupervisor } from '../../modules/bootloader/trial.js';
import { signTrustUpdate } from '../../modules/access/trust-store.js';

describe('update: staging, trial, confirm and revert', () => {
  it('resumes after a disconnect at the committed offset, then confirms after the self-test and raises the counter', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    const size = splitPackage(pkg).image.length;
    const first = h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    assert.deepEqual({ offset: first.offset, size: first.size, complete: first.complete }, { offset: 0, size, complete: false });
    send(h, pkg, 0, BLOCK + 700); // the link drops mid-block
    const again = h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    assert.equal(again.offset, BLOCK, 'resume at the last committed block, not at the last byte received');
    send(h, pkg, again.offset);
    assert.equal(h.running.service.status().state, 'staged');
    assert.equal(h.running.counter.read(), CURRENT.counter);
    assert.equal(await activateAndReboot(h), 'confirmed');
    assert.deepEqual(h.running.choice.manifest?.manifest.version, [1, 1, 0]);
    assert.equal(h.running.choice.trial, true);
    assert.equal(h.running.counter.read(), 4, 'the counter rises at confirm');
    assert.equal(h.running.service.status().state, 'idle');
    assert.deepEqual(h.running.service.status().runningVersion, [1, 1, 0]);
    assert.equal((await reboot(h)), 'not-on-trial');
    assert.equal(h.running.choice.trial, false);
    assert.deepEqual(h.running.choice.manifest?.manifest.version, [1, 1, 0]);
  });

  it('resumes after a reboot from the trailer, hashing the durable prefix once from flash', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    send(h, pkg, 0, 2 * BLOCK + 100);
    await reboot(h);
    const resumed = h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    assert.equal(resumed.offset, 2 * BLOCK);
    assert.equal(h.running.events.at(-1)?.type, 'resume');
    send(h, pkg, resumed.offset);
    assert.equal(await activateAndReboot(h), 'confirmed');
  });

  it('a different package replaces an unfinished transfer', async () => {
    const h = await updatedDevice();
    const a = newPackage();
    const b = newPackage({ version: [1, 2, 0] });
    h.running.service.begin(UPDATE_ROLE, manifestOf(a));
    send(h, a, 0, BLOCK);
    assert.equal(h.running.service.begin(UPDATE_ROLE, manifestOf(b)).offset, 0);
    send(h, b, 0);
    assert.equal(await activateAndReboot(h), 'confirmed');
    assert.deepEqual(h.running.choice.manifest?.manifest.version, [1, 2, 0]);
  });

  it('a failed self-test reverts to the old image with the counter unchanged; the update can be retried', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    stage(h, pkg);
    h.selfTestPasses = false;
    assert.equal(await activateAndReboot(h), 'reverted');
    assert.equal(h.running.events.at(-1)?.reason, 'self-test-failed');
    assert.ok(h.dev.restartRequested);
    await reboot(h);
    assert.deepEqual(h.running.choice.manifest?.manifest.version, CURRENT.version);
    assert.equal(h.running.choice.trial, false);
    assert.equal(h.running.counter.read(), CURRENT.counter);
    // Retry: the bank is still staged, so begin reports it complete and activation works again.
    assert.equal(h.running.service.begin(UPDATE_ROLE, manifestOf(pkg)).complete, true);
    h.selfTestPasses = true;
    assert.equal(await activateAndReboot(h), 'confirmed');
  });

  it('a trial that resets before confirming is reverted by the bootloader, and says why', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    stage(h, pkg);
    h.running.service.activate(UPDATE_ROLE);
    h.running = h.dev.powerOn(); // trial boot; the image crashes before its self-test ends
    assert.equal(h.running.choice.trial, true);
    h.running = h.dev.powerOn();
    assert.equal(h.running.choice.note, 'trial-reset');
    assert.deepEqual(h.running.choice.manifest?.manifest.version, CURRENT.version);
    assert.equal(h.running.counter.read(), CURRENT.counter);
  });

  it('a trial whose self-test never finishes is reverted when the confirm time runs out', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    stage(h, pkg);
    h.running.service.activate(UPDATE_ROLE);
    h.dev.options.selfTest = () => new Promise(() => {});
    h.running = h.dev.powerOn();
    const outcome = h.running.supervisor.start();
    h.dev.clock.advance(60_000);
    assert.equal(await outcome, 'reverted');
    assert.equal(h.running.events.at(-1)?.reason, 'confirm-timeout');
  });

  it('never confirms at start-up on its own: without a self-test result the trial stays a trial', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    stage(h, pkg);
    h.running.service.activate(UPDATE_ROLE);
    h.dev.options.selfTest = () => new Promise(() => {});
    h.running = h.dev.powerOn();
    void h.running.supervisor.start();
    h.dev.clock.advance(59_999);
    assert.equal(h.running.service.status().state, 'trial');
    assert.equal(h.running.counter.read(), CURRENT.counter);
  });

  it('refuses a new transfer during a trial and while an activation waits for its reboot', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    stage(h, pkg);
    h.running.service.activate(UPDATE_ROLE);
    const other = manifestOf(newPackage({ version: [1, 3, 0] }));
    assert.throws(() => h.running.service.begin(UPDATE_ROLE, other), (e: unknown) => e instanceof UpdateError && e.code === 'update-pending');
    h.dev.options.selfTest = () => new Promise(() => {});
    h.running = h.dev.powerOn();
    assert.throws(() => h.running.service.begin(UPDATE_ROLE, other), (e: unknown) => e instanceof UpdateError && e.code === 'trial-in-progress');
  });

  it('re-checks at activation: a key revoked after staging stops the update', async () => {
    const trust = trustStore();
    const h = await updatedDevice({ keys: updateKeysFrom(trust) });
    const pkg = newPackage({ key: ROTATION });
    stage(h, pkg);
    assert.equal(trust.applyUpdate(signTrustUpdate(crypto, ROOT, { sequence: 1, revoked: [ROTATION.kid] })), 0);
    const record = h.dev.bootArea.read(0, h.dev.bootArea.size);
    assert.throws(() => h.running.service.activate(UPDATE_ROLE), (e: unknown) => e instanceof UpdateError && e.code === 'revoked-key');
    assert.deepEqual(h.dev.bootArea.read(0, h.dev.bootArea.size), record, 'no trial requested');
  });

  it('abort forgets the staged bank but never the running image', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    stage(h, pkg);
    h.running.service.abort(UPDATE_ROLE);
    assert.equal(h.running.service.status().state, 'idle');
    assert.throws(() => h.running.service.activate(UPDATE_ROLE), (e: unknown) => e instanceof UpdateError && e.code === 'not-staged');
    await reboot(h);
    assert.deepEqual(h.running.choice.manifest?.manifest.version, CURRENT.version);
    assert.equal(h.running.service.begin(UPDATE_ROLE, manifestOf(pkg)).offset, 0, 'a new begin starts over');
  });
});

describe('update: a platform whose bootloader ignores the boot record (nRF52 without stage 2)', () => {
  it('withdraws the activation at the next start and says so', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    stage(h, pkg);
    h.running.service.activate(UPDATE_ROLE);
    // The firmware starts again without any bootloader having read the record.
    const boot = new FlashBootControl(new BootRecordStore(h.dev.bootArea));
    assert.equal(boot.status().pending, 1);
    const events: { type: string; reason?: string }[] = [];
    const supervisor = new TrialSupervisor({
      running: h.running.choice.manifest, boot, counter: h.running.counter, clock: h.dev.clock,
      selfTest: () => Promise.resolve({ passed: true }), restart: () => {}, confirmWithinMs: 1000, onEvent: (e) => void events.push(e),
    });
    assert.equal(await supervisor.start(), 'not-on-trial');
    assert.equal(boot.status().pending, undefined);
    assert.deepEqual(events, [{ type: 'reverted', reason: 'not-activated' }]);
  });
});
