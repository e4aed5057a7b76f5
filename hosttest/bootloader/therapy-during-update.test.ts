// Therapy keeps running while an update downloads and stages: the pacing engine and a virtual
// heart in complete AV block (every beat needs a ventricular pace) share one virtual clock with
// the update, whose 244-byte chunks arrive at 20 kB/s and are staged, hashed and programmed in
// between beats. The independent trace checker must find no violation over the whole transfer.
// (On the device therapy runs in its own XS machine, so staging cannot delay it at all; this
// shows the update never needs the pacing loop to wait even when they share one event loop.)
// Across the reboot itself the board stops pacing until its backup pacer runs: see
// docs/bootloader.md, "Therapy during an update".
import assert from 'node:assert/strict';
import type { Marker } from '../../modules/therapy/markers.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { UPDATE_ROLE } from '../../modules/bootloader/update-service.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { checkTrace } from '../../host/heart/checker.js';
import { VirtualHeart } from '../../host/heart/heart.js';
import { loadScenario, runParameters } from '../../host/heart/closed-loop.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { image, makePackage, manifestOf, updateKeys } from '../../host/fixtures/update-fixture.js';
import { SIM_LAYOUTS, SimDevice } from '../../host/fixtures/sim-device.js';

const CHUNK = 244;
const CHUNK_INTERVAL_MS = 12; // 244 B every 12 ms is about 20 kB/s

describe('therapy during an update', () => {
  it('paces a heart in complete AV block without a single timing violation while an image downloads and stages', async () => {
    const clock = new VirtualClock(0);
    const scenario = loadScenario('complete-av-block');
    const params = runParameters(scenario, 'DDD');
    const markers: Marker[] = [];
    const heart = new VirtualHeart(scenario, clock, 11);
    const therapy = new Therapy(clock, { pace: (c) => heart.pace(c), marker: (t, type) => markers.push({ t, type }) });
    assert.ok(therapy.program('permanent', params).ok);
    heart.start((c) => therapy.sense(c));

    const dev = new SimDevice({ layout: SIM_LAYOUTS[0], keys: updateKeys(), clock, selfTest: () => Promise.resolve({ passed: true }) });
    dev.install(makePackage({ version: [1, 0, 0], counter: 3, image: image(1, 4096) }));
    const running = dev.powerOn();
    await running.supervisor.start();
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(2, 4 * 4096 - 300) });
    const img = splitPackage(pkg).image;
    running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    let offset = 0;
    const next = () => {
      running.service.chunk(UPDATE_ROLE, offset, img.subarray(offset, Math.min(offset + CHUNK, img.length)));
      offset += CHUNK;
      if (offset < img.length) clock.setTimeout(next, CHUNK_INTERVAL_MS);
    };
    clock.setTimeout(next, 500);
    const endMs = 500 + Math.ceil(img.length / CHUNK) * CHUNK_INTERVAL_MS + 10_000;
    clock.runUntil(endMs);

    assert.equal(running.service.status().state, 'staged');
    const verdict = checkTrace(markers, { programs: [params], endMs, toleranceMs: 1, inputs: scenario.events });
    assert.deepEqual(verdict.violations, []);
    const paces = markers.filter((m) => m.type === 'VP').length;
    assert.ok(paces >= Math.floor(endMs / 60000 * params.lrl) - 1, `ventricular pacing continued (${paces} paces)`);
  });
});
