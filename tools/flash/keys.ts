// Ed25519 and X25519 keys as PEM files that OpenSSL reads (RFC 8410): private keys as PKCS#8
// (RFC 5208 PrivateKeyInfo, "BEGIN PRIVATE KEY"), public keys as SubjectPublicKeyInfo
// (RFC 5280 §4.1.2.7, "BEGIN PUBLIC KEY"). Check one with `openssl pkey -in FILE -text -noout`.
// Private key files are created with mode 0600 and never overwritten silently; nothing here
// prints a private key.
import { constants } from 'node:fs';
import { chmod, open } from 'node:fs/promises';

export type KeyType = 'ed25519' | 'x25519';

/** RFC 8410 §3: id-X25519 1.3.101.110, id-Ed25519 1.3.101.112 (DER OID bodies). */
const OIDS: Record<KeyType, number[]> = { x25519: [0x2b, 0x65, 0x6e], ed25519: [0x2b, 0x65, 0x70] };
const KEY_BYTES = 32;

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

function der(tag: number, body: number[]): number[] {
  if (body.length >= 128) throw new KeyFileError('DER body too long for this encoder');
  return [tag, body.length, ...body];
}

function algorithm(type: KeyType): number[] {
  return der(0x30, der(0x06, OIDS[type])); // AlgorithmIdentifier, parameters absent (RFC 8410 §3)
}

/** PKCS#8 v1: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING { OCTET STRING key } } (RFC 8410 §7). */
export function privateKeyToPem(type: KeyType, secretKey: Uint8Array): string {
  checkLength(secretKey);
  const body = [...der(0x02, [0]), ...algorithm(type), ...der(0x04, der(0x04, [...secretKey]))];
  return pem('PRIVATE KEY', der(0x30, body));
}

/** SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING (0 unused bits) key } (RFC 8410 §4). */
export function publicKeyToPem(type: KeyType, publicKey: Uint8Array): string {
  checkLength(publicKey);
  return pem('PUBLIC KEY', der(0x30, [...algorithm(type), ...der(0x03, [0, ...publicKey])]));
}

export function parsePrivateKeyPem(text: string): { type: KeyType; secretKey: Uint8Array } {
  const r = new DerReader(unpem(text, 'PRIVATE KEY'));
  const seq = r.enter(0x30);
  const version = seq.take(0x02);
  if (version.length !== 1 || version[0] > 1) throw new KeyFileError('unsupported PKCS#8 version');
  const type = readAlgorithm(seq.enter(0x30));
  const inner = new DerReader(seq.take(0x04)).take(0x04);
  checkLength(inner);
  // OneAsymmetricKey v2 (RFC 5958) may append attributes [0] and the public key [1]; both ignored.
  r.end();
  return { type, secretKey: inner };
}

export function parsePublicKeyPem(text: string): { type: KeyType; publicKey: Uint8Array } {
  const r = new DerReader(unpem(text, 'PUBLIC KEY'));
  const seq = r.enter(0x30);
  const type = readAlgorithm(seq.enter(0x30));
  const bits = seq.take(0x03);
  seq.end();
  r.end();
  if (bits[0] !== 0) throw new KeyFileError('public key BIT STRING has unused bits');
  const publicKey = bits.slice(1);
  checkLength(publicKey);
  return { type, publicKey };
}

function readAlgorithm(alg: DerReader): KeyType {
  const oid = alg.take(0x06);
  alg.end();
  for (const type of Object.keys(OIDS) as KeyType[]) {
    const want = OIDS[type];
    if (oid.length === want.length && oid.every((b, i) => b === want[i])) return type;
  }
  throw new KeyFileError('not an Ed25519 or X25519 key');
}

function checkLength(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new KeyFileError(`key is ${key.length} bytes, expected ${KEY_BYTES}`);
}

/** Minimal DER reader for the short, definite-length structures of RFC 8410 keys. */
class DerReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  take(tag: number): Uint8Array {
    if (this.bytes[this.pos] !== tag) throw new KeyFileError(`DER: expected tag 0x${tag.toString(16)}`);
    let length = this.bytes[this.pos + 1];
    let start = this.pos + 2;
    if (length === 0x81) (length = this.bytes[this.pos + 2]), (start = this.pos + 3);
    else if (length > 0x80) throw new KeyFileError('DER: length form not supported');
    if (length === undefined || start + length > this.bytes.length) throw new KeyFileError('DER: truncated');
    this.pos = start + length;
    return this.bytes.slice(start, start + length);
  }

  enter(tag: number): DerReader {
    return new DerReader(this.take(tag));
  }

  end(): void {
    if (this.pos !== this.bytes.length) throw new KeyFileError('DER: trailing bytes');
  }
}

function pem(label: string, bytes: number[]): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function unpem(text: string, label: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  if (!match) throw new KeyFileError(`no "${label}" PEM block`);
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}

/** Writes a private key file readable by its owner only; refuses to replace an existing file unless `force`. */
export async function writePrivateKeyFile(path: string, pemText: string, force = false): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | (force ? constants.O_TRUNC : constants.O_EXCL);
  const handle = await open(path, flags, 0o600);
  try {
    await handle.chmod(0o600); // an existing file (with force) keeps its old mode otherwise
    await handle.writeFile(pemText);
  } finally {
    await handle.close();
  }
}

/** Writes a public file (key or certificate); refuses to replace an existing file unless `force`. */
export async function writePublicFile(path: string, data: string | Uint8Array, force = false): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | (force ? constants.O_TRUNC : constants.O_EXCL);
  const handle = await open(path, flags, 0o644);
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  await chmod(path, 0o644);
}
