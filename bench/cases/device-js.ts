// The JavaScript the device still runs once every primitive is native (docs/memory.md,
// "Estimates per board"): the same work as handshake.responder and ota.per_KiB, with each
// primitive's result replayed from a recording (bench/replay-provider.ts) instead of computed.
//   handshake.responder.device_js  one IK responder handshake; native calls per handshake: see docs
//   ota.per_KiB.device_js          one KiB of update received and staged; native calls per KiB: see docs
import { ReplayProvider } from '../replay-provider.js';
import { responderSetup } from './channel.js';
import { otaSetup, receiveKiB } from './ota.js';
import { benchCase } from './types.js';

/** KiB per staged image in ota.per_KiB (its IMAGE_KIB): one tape per offset covers a full cycle. */
const IMAGE_KIB = 60;

export const cases = [
  benchCase({
    name: 'handshake.responder.device_js',
    setup() {
      const replay = new ReplayProvider();
      const { handshake } = responderSetup('AESGCM', replay.provider);
      handshake(); // warm, as handshake.responder's first call
      const tape = replay.record();
      handshake();
      return { replay, handshake, tape };
    },
    run({ replay, handshake, tape }) {
      replay.replay(tape);
      return handshake();
    },
  }),
  benchCase({
    name: 'ota.per_KiB.device_js',
    setup() {
      const replay = new ReplayProvider();
      const state = otaSetup(replay.provider);
      for (let kib = 0; kib < IMAGE_KIB; kib++) {
        replay.record();
        receiveKiB(state);
      }
      return { replay, state };
    },
    run({ replay, state }) {
      replay.replay(state.offset / 1024);
      return receiveKiB(state);
    },
  }),
];
