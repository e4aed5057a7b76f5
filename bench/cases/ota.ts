// Costs of an update on the device (docs/bootloader.md, "Costs").
//   ota.per_KiB          receive one KiB of image on the pure-JS path: open the AES-GCM transport
//                        frame, stage it (copy into the block buffer, SHA-256 when a block fills,
//                        program calls, progress marks). Flash itself is a RAM stand-in with no
//                        cost of its own: on the board programming is native and its time is the chip's.
//   ota.manifest.verify  open a signed manifest: COSE_Sign1 parse, Ed25519 verify, strict CBOR decode
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import type { Manifest } from '../../modules/bootloader/manifest.js';
import { openManifest, signManifest } from '../../modules/bootloader/signed-manifest.js';
import { Stager } from '../../modules/bootloader/stager.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { benchCase } from './types.js';
import { fixedBytes, ramFlash } from '../fixtures.js';

const KIB = 1024;
const IMAGE_KIB = 60;
const crypto = nobleProvider;

const fixed = (length: number, seed: number) => fixedBytes(length, seed, 41);

function signer() {
  const secretKey = fixed(32, 7);
  const publicKey = crypto.ed25519.publicKey(secretKey);
  return { secretKey, publicKey, kid: keyIdOf(crypto.sha256, publicKey) };
}

function manifestFor(image: Uint8Array): Manifest {
  return {
    vendorId: fixed(16, 1), classId: fixed(16, 2), version: [1, 2, 3], securityCounter: 7,
    imageSize: image.length, imageDigest: crypto.sha256(image),
  };
}

/** A staging run over a 60 KiB image, one AES-GCM transport frame of 1 KiB per call. */
export function otaSetup(provider: CryptoProvider) {
  const plain = fixed(KIB, 3);
  const image = new Uint8Array(IMAGE_KIB * KIB);
  for (let i = 0; i < IMAGE_KIB; i++) image.set(plain, i * KIB);
  const key = fixed(32, 4), nonce = fixed(12, 5), ad = fixed(16, 6);
  const bank = ramFlash(IMAGE_KIB / 4 + 1);
  const layout = bankLayout(bank);
  const manifest = manifestFor(image);
  const manifestBytes = signManifest(crypto, signer(), manifest);
  const state = {
    provider,
    frame: crypto.aesGcm.seal(key, nonce, ad, plain),
    key, nonce, ad,
    offset: 0,
    restart: () => Stager.start(bank, layout, provider, manifest, manifestBytes),
    stager: undefined as unknown as Stager,
  };
  state.stager = state.restart();
  return state;
}

/** Receives the next KiB: open the frame, stage it; starts over once the image is complete. */
export function receiveKiB(st: ReturnType<typeof otaSetup>) {
  const chunk = st.provider.aesGcm.open(st.key, st.nonce, st.ad, st.frame)!;
  const result = st.stager.write(st.offset, chunk);
  st.offset += KIB;
  if (result.complete) {
    st.stager = st.restart();
    st.offset = 0;
  }
  return result;
}

export const cases = [
  benchCase({ name: 'ota.per_KiB', setup: () => otaSetup(crypto), run: receiveKiB }),
  benchCase({
    name: 'ota.manifest.verify',
    setup() {
      const key = signer();
      const bytes = signManifest(crypto, key, manifestFor(fixed(4096, 9)));
      return { bytes, lookup: () => ({ ok: true as const, publicKey: key.publicKey }) };
    },
    run: (st) => openManifest(crypto, st.bytes, st.lookup),
  }),
];
