// Replays the public Noise test vectors (cacophony format) through our HandshakeState and
// transport CipherStates, on Node and in XS. The file comes from NOISE_VECTORS, by default the
// repository's hosttest/vectors/noise/cacophony.json. Every 25519/SHA256 vector with ChaChaPoly or AESGCM must run: the test
// fails if one is skipped because its pattern is unsupported.
import { fromHex } from '../../modules/core/bytes.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { HandshakeState } from '../../modules/channel/noise/handshake-state.js';
import type { CipherState } from '../../modules/channel/noise/cipher-state.js';
import { noiseSuite } from '../../modules/channel/noise/suite.js';
import type { NoiseCipherName, NoiseSuite } from '../../modules/channel/noise/suite.js';
import { bytesEqual, equal, ok } from '../lib/assert.js';
import { testHost, vectorsPath } from '../lib/host.js';

interface NoiseVector {
  protocol_name: string;
  init_prologue: string;
  init_static?: string;
  init_ephemeral: string;
  init_remote_static?: string;
  init_psks?: string[];
  resp_prologue: string;
  resp_static?: string;
  resp_ephemeral: string;
  resp_remote_static?: string;
  resp_psks?: string[];
  handshake_hash?: string;
  messages: { payload: string; ciphertext: string }[];
}

const NAME = /^Noise_([A-Za-z0-9+]+)_25519_(ChaChaPoly|AESGCM)_SHA256$/;

function side(suite: NoiseSuite, v: NoiseVector, initiator: boolean, pattern: string): HandshakeState {
  const p = initiator ? 'init' : 'resp';
  const field = (name: string) => (v as unknown as Record<string, string | undefined>)[`${p}_${name}`];
  const key = (hex: string | undefined) => (hex ? suite.keyPairFromSecret(fromHex(hex)) : undefined);
  return new HandshakeState({
    suite,
    pattern,
    initiator,
    prologue: fromHex(field('prologue') ?? ''),
    staticKey: key(field('static')),
    ephemeral: key(field('ephemeral')),
    remoteStatic: field('remote_static') ? fromHex(field('remote_static')!) : undefined,
    psks: ((v as unknown as Record<string, string[] | undefined>)[`${p}_psks`] ?? []).map(fromHex),
  });
}

function replay(v: NoiseVector, pattern: string, cipher: NoiseCipherName): void {
  const suite = noiseSuite(nobleProvider, cipher);
  const init = side(suite, v, true, pattern);
  const resp = side(suite, v, false, pattern);
  equal(init.protocolName, v.protocol_name);
  let transport: { init: { send: CipherState; receive: CipherState }; resp: { send: CipherState; receive: CipherState } } | undefined;
  v.messages.forEach((m, i) => {
    const payload = fromHex(m.payload);
    const expected = fromHex(m.ciphertext);
    const fromInitiator = init.pattern.oneWay || i % 2 === 0;
    if (!transport) {
      const [sender, receiver] = fromInitiator ? [init, resp] : [resp, init];
      bytesEqual(sender.writeMessage(payload), expected, `${v.protocol_name} message ${i}`);
      bytesEqual(receiver.readMessage(expected), payload, `${v.protocol_name} payload ${i}`);
      if (init.isComplete) {
        ok(resp.isComplete, 'both sides complete together');
        if (v.handshake_hash) bytesEqual(init.handshakeHash, fromHex(v.handshake_hash), 'handshake hash');
        bytesEqual(init.handshakeHash, resp.handshakeHash, 'both sides agree on h');
        transport = { init: init.split(), resp: resp.split() };
      }
    } else {
      const [sender, receiver] = fromInitiator ? [transport.init, transport.resp] : [transport.resp, transport.init];
      bytesEqual(sender.send.encryptWithAd(new Uint8Array(0), payload), expected, `${v.protocol_name} transport ${i}`);
      bytesEqual(receiver.receive.decryptWithAd(new Uint8Array(0), expected), payload, `${v.protocol_name} transport payload ${i}`);
    }
  });
  ok(transport, `${v.protocol_name}: the vector completes its handshake`);
}

/** Vectors of the supported suites in the cacophony file the repository carries. */
const NON_PSK_VECTORS = 76;
const PSK_VECTORS = 42;

describe('Noise rev 34 test vectors', () => {
  it('replays every 25519 / SHA256 / ChaChaPoly and AESGCM vector', () => {
    const file = testHost().env('NOISE_VECTORS') ?? vectorsPath('noise/cacophony.json');
    const { vectors } = JSON.parse(testHost().readText(file)) as { vectors: NoiseVector[] };
    let run = 0, withPsk = 0, other = 0;
    for (const v of vectors) {
      const name = v.protocol_name ?? (v as unknown as { name: string }).name;
      const match = NAME.exec(name);
      if (!match) {
        other++;
        continue;
      }
      replay({ ...v, protocol_name: name }, match[1], match[2] as NoiseCipherName);
      run++;
      if (match[1].includes('psk')) withPsk++;
    }
    testHost().log(`[${testHost().engine}] ${file}: ${run} vectors replayed (${run - withPsk} without PSK, ${withPsk} with PSK); ${other} other suites (448, SHA512, BLAKE2) not supported`);
    // Whatever file is used, it must cover every supported suite (hosttest/vectors/README.md).
    ok(run - withPsk >= NON_PSK_VECTORS, `${file}: ${run - withPsk} non-PSK vectors for the supported suites, fewer than ${NON_PSK_VECTORS}`);
    ok(withPsk >= PSK_VECTORS, `${file}: ${withPsk} PSK vectors for the supported suites, fewer than ${PSK_VECTORS}`);
  });
});
