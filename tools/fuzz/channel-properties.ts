// Property-based fuzzing of everything the channel parses from the air: CBOR, framing, the
// command envelope, the responder before a session and the transport of an open session. The
// test suite runs each property a few hundred times; `npm run fuzz -- channel` runs 100,000 each.
import fc from 'fast-check';
import { CborError, decodeCbor, encodeCbor } from '../../modules/core/cbor.js';
import type { CborValue } from '../../modules/core/cbor.js';
import { DeviceConnection } from '../../modules/channel/connection.js';
import { fragmentMessage, MAX_MESSAGE_BYTES, Reassembler } from '../../modules/channel/framing.js';
import { CipherState } from '../../modules/channel/noise/cipher-state.js';
import { noiseSuite } from '../../modules/channel/noise/suite.js';
import { SecureTransport } from '../../modules/channel/transport.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import type { FramedMessage, FramingErrorCode } from '../../modules/channel/framing.js';
import { Status } from '../../modules/channel/status.js';
import type { SessionView } from '../../modules/channel/commands.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { cborValue } from '../../host/fixtures/cbor-arbitrary.js';
import { countingCrypto, keyPair, testDispatcher, TestGate } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';

export interface FuzzProperty {
  readonly name: string;
  property(): fc.IProperty<any> | fc.IAsyncProperty<any>;
}

function fail(message: string): never {
  throw new Error(message);
}

const STATUS_CODES = new Set<number>(Object.values(Status));
const FRAMING_ERRORS = new Set<FramingErrorCode>(['oversize', 'out-of-order', 'timeout', 'unknown-type', 'malformed']);

/** Valid encodings with a few bytes changed, so the fuzzer also probes near-valid input. */
const mutatedCbor = fc.tuple(cborValue, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })).map(([v, edits]) => {
  const bytes = encodeCbor(v);
  for (const [at, value] of edits) if (bytes.length) bytes[at % bytes.length] = value;
  return bytes;
});

/** Fragments as an attacker writes them: valid ones, corrupted ones and random bytes. */
const fragmentStream = fc.array(
  fc.oneof(
    fc.tuple(fc.constantFrom(1, 2, 3, 4, 5, 0, 0xff), fc.uint8Array({ minLength: 1, maxLength: 300 })).map(([type, body]) =>
      type >= 1 && type <= 4 ? fragmentMessage(type, body, 64) : [Uint8Array.of(0xc0, type, 0, body.length & 0xff, ...body.subarray(0, 10))]),
    fc.uint8Array({ maxLength: 70 }).map((b) => [b]),
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 60 })).map(([h, b]) => [Uint8Array.of(h, ...b)]),
  ),
  { maxLength: 12 },
).map((groups) => groups.flat());

const session: SessionView = Object.freeze({
  id: 1,
  principal: { role: 'clinician', keyId: new Uint8Array(8), staticKey: new Uint8Array(32) },
  handshakeHash: new Uint8Array(32),
  pattern: 'IK',
  physicalPresence: () => false,
});

export const channelFuzzProperties: readonly FuzzProperty[] = [
  {
    name: 'cbor.decode: canonical or CborError',
    property: () => fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutatedCbor), (bytes) => {
      let value: CborValue;
      try {
        value = decodeCbor(bytes);
      } catch (error) {
        if (error instanceof CborError) return;
        throw error;
      }
      // Strict determinism: whatever decodes is the one canonical encoding of its value.
      const again = encodeCbor(value);
      if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) fail('decoded a non-canonical encoding');
    }),
  },
  {
    name: 'framing: fragments fit every MTU and reassemble exactly',
    property: () => fc.property(fc.integer({ min: 23, max: 517 }), fc.integer({ min: 1, max: MAX_MESSAGE_BYTES }), fc.integer({ min: 1, max: 4 }), (mtu, length, type) => {
      const body = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      const got: FramedMessage[] = [];
      const r = new Reassembler({ clock: new VirtualClock(), onMessage: (m) => got.push(m), onError: (c) => fail(`error ${c}`) });
      for (const f of fragmentMessage(type, body, mtu)) {
        if (f.length > mtu - 3) fail('fragment above MTU - 3');
        r.push(f, mtu);
      }
      if (got.length !== 1 || got[0].type !== type || got[0].body.length !== length || got[0].body.some((b, i) => b !== body[i])) fail('not reassembled');
    }),
  },
  {
    name: 'framing: hostile fragment streams give defined errors and bounded buffers',
    property: () => fc.property(fragmentStream, fc.integer({ min: 23, max: 517 }), (fragments, mtu) => {
      const clock = new VirtualClock();
      const r = new Reassembler({
        clock,
        onMessage: (m) => (m.body.length > MAX_MESSAGE_BYTES || m.type < 1 || m.type > 4) && fail('bad message delivered'),
        onError: (code) => FRAMING_ERRORS.has(code) || fail(`undefined error ${code}`),
      });
      for (const f of fragments) r.push(f, mtu);
      clock.advance(5000);
      if (r.busy) fail('a partial message outlived the reassembly timeout');
    }),
  },
  {
    name: 'dispatcher: any request bytes get a well-formed response',
    property: () => {
      const dispatcher = testDispatcher();
      return fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutatedCbor), (bytes) => {
        const reply = decodeCbor(dispatcher.dispatch(bytes, session) as Uint8Array);
        if (!Array.isArray(reply) || reply.length !== 3 || !STATUS_CODES.has(reply[1] as number)) fail('malformed response');
      });
    },
  },
  {
    name: 'responder: hostile fragments before a session never open one',
    property: () => {
      const prng = new Prng(11);
      const deviceKey = keyPair(prng);
      return fc.property(fragmentStream, (fragments) => {
        const clock = new VirtualClock();
        const gate = new TestGate([]);
        const { provider } = countingCrypto();
        const device = new DeviceConnection({
          crypto: provider, clock, gate, staticKey: deviceKey, dispatcher: testDispatcher(), physicalPresence: () => false, sessionId: 1,
          notify: (f) => f.length > 20 && fail('notification above MTU 23'),
          disconnect: (status) => STATUS_CODES.has(status) || fail(`undefined status ${status}`),
        });
        for (const f of fragments) device.receiveFragment(f.subarray(0, 20));
        if (device.responder.state === 'open') fail('session opened without a valid handshake');
        if (gate.authenticated !== 0) fail('a forged handshake reached the certificate check');
      });
    },
  },
  {
    name: 'transport: forged frames at the expected nonce never authenticate',
    property: () => fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (frame, atNonce) => {
      // Half the cases carry nonce 0, the one the receiver expects, so the AEAD check itself runs.
      if (atNonce && frame.length >= 8) frame.fill(0, 0, 8);
      const result = openTransport().open(frame);
      if (result.ok) fail('a forged frame authenticated');
    }),
  },
];

function openTransport(): SecureTransport {
  const suite = noiseSuite(nobleProvider, 'AESGCM');
  const key = new Uint8Array(32).fill(9);
  return new SecureTransport({ send: new CipherState(suite, key), receive: new CipherState(suite, key), handshakeHash: new Uint8Array(32) }, MAX_MESSAGE_BYTES);
}
