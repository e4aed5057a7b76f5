// The storage behind the preference shim: domains of keys in insertion order (a re-set key moves
// to the end, as on the nRF52 flash store), kept in memory, and mirrored to a JSON file only
// when a test or the simulator asks for persistence.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type PreferenceValue = string | boolean | number | ArrayBuffer;

type Stored = { type: 'boolean'; value: boolean } | { type: 'integer'; value: number } | { type: 'string'; value: string } | { type: 'buffer'; hex: string };

export class PreferenceStore {
  private readonly domains = new Map<string, Map<string, PreferenceValue>>();
  private file: string | undefined;

  get(domain: string, key: string): PreferenceValue | undefined {
    const value = this.domains.get(domain)?.get(key);
    return value instanceof ArrayBuffer ? value.slice(0) : value;
  }

  set(domain: string, key: string, value: PreferenceValue): void {
    let keys = this.domains.get(domain);
    if (!keys) this.domains.set(domain, (keys = new Map()));
    keys.delete(key);
    keys.set(key, value instanceof ArrayBuffer ? value.slice(0) : value);
    this.save();
  }

  delete(domain: string, key: string): void {
    if (this.domains.get(domain)?.delete(key)) this.save();
  }

  keys(domain: string): string[] {
    return [...(this.domains.get(domain)?.keys() ?? [])];
  }

  /** Every stored record, for capacity accounting. */
  entries(): Array<{ domain: string; key: string; value: PreferenceValue }> {
    return [...this.domains].flatMap(([domain, keys]) => [...keys].map(([key, value]) => ({ domain, key, value })));
  }

  /** Loads `path` if it exists and writes every later change to it. */
  persistTo(path: string): void {
    this.domains.clear();
    this.file = path;
    if (!existsSync(path)) return;
    const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, Stored>>;
    for (const [domain, keys] of Object.entries(data)) {
      this.domains.set(domain, new Map(Object.entries(keys).map(([key, stored]) => [key, decode(stored)])));
    }
  }

  private save(): void {
    if (this.file === undefined) return;
    const data: Record<string, Record<string, Stored>> = {};
    for (const [domain, keys] of this.domains) data[domain] = Object.fromEntries([...keys].map(([k, v]) => [k, encode(v)]));
    writeFileSync(this.file, JSON.stringify(data, null, 2) + '\n');
  }
}

function encode(value: PreferenceValue): Stored {
  if (value instanceof ArrayBuffer) return { type: 'buffer', hex: Buffer.from(value).toString('hex') };
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (typeof value === 'number') return { type: 'integer', value };
  return { type: 'string', value };
}

function decode(stored: Stored): PreferenceValue {
  if (stored.type === 'buffer') {
    const bytes = Buffer.from(stored.hex, 'hex');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  return stored.value;
}
