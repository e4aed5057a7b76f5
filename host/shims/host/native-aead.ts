// The seal/open pair of modules/crypto/native/curves.h and symmetric.h (out = ciphertext || tag,
// open 0 or -1) over node:crypto, for the mc/ffi shim: ChaCha20-Poly1305 and AES-256-GCM. Node
// types the two AEADs' ciphers alike at run time but by separate overloads; the GCM one stands for both.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { CipherGCMTypes } from 'node:crypto';

const TAG = 16;
const bytes = (buffer: ArrayBuffer, length = buffer.byteLength) => new Uint8Array(buffer, 0, length);
type Call = (out: ArrayBuffer, key: ArrayBuffer, nonce: ArrayBuffer, ad: ArrayBuffer, adLength: number, input: ArrayBuffer, length: number) => number;

export function aeadCalls<N extends string>(name: N, algorithm: 'chacha20-poly1305' | 'aes-256-gcm'): Record<`implant_${N}_seal` | `implant_${N}_open`, Call> {
  const seal: Call = (out, key, nonce, ad, adLength, input, length) => {
    const cipher = createCipheriv(algorithm as CipherGCMTypes, bytes(key, 32), bytes(nonce, 12), { authTagLength: TAG });
    cipher.setAAD(bytes(ad, adLength), { plaintextLength: length });
    const body = Buffer.concat([cipher.update(bytes(input, length)), cipher.final()]);
    bytes(out).set(Buffer.concat([body, cipher.getAuthTag()]));
    return 0;
  };
  const open: Call = (out, key, nonce, ad, adLength, input, length) => {
    if (length < TAG) return -1;
    const body = bytes(input, length - TAG);
    const decipher = createDecipheriv(algorithm as CipherGCMTypes, bytes(key, 32), bytes(nonce, 12), { authTagLength: TAG });
    decipher.setAAD(bytes(ad, adLength), { plaintextLength: body.length });
    decipher.setAuthTag(new Uint8Array(input, length - TAG, TAG));
    try {
      bytes(out).set(Buffer.concat([decipher.update(body), decipher.final()]));
      return 0;
    } catch {
      return -1;
    }
  };
  return { [`implant_${name}_seal`]: seal, [`implant_${name}_open`]: open } as Record<`implant_${N}_seal` | `implant_${N}_open`, Call>;
}
