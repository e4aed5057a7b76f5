// Host shim of Moddable "preference" (typings/preference.d.ts) with the selected port's types,
// limits and messages:
// - esp32 (modules/files/preference/esp32, over ESP-IDF NVS): domain and key at most 15 bytes;
//   strings at most 4000 bytes with the NUL; blobs as NVS allows in the default 24 KB partition.
//   The old value is erased before the new one is written, so a set that fails for size loses it.
// - nrf52 (modules/files/preference/esp, Moddable's one-sector flash store): domain and key at most
//   31 bytes; a value at most 63 bytes (strings with their NUL); each record, rounded to 4 bytes,
//   at most 128; all records together fit one 4 KB sector after its 4-byte signature.
// Both: integers are stored as int32 and anything else numeric throws "float unsupported"; only
// booleans, numbers, strings and ArrayBuffers (not views) are accepted.
import { hostPlatform, preferences } from './host-control.js';
import type { PreferenceValue } from './host/preference-store.js';
import { utf8Length } from './host/xs-values.js';

const NVS = Object.freeze({ name: 15, string: 4000, blob: Math.floor(0.976 * 24576 - 4000) });
const NRF52 = Object.freeze({ name: 31, value: 63, record: 128, sector: 4096 - 4 });

/** Checks the value's type and returns its stored byte count (as the C code counts it). */
function valueBytes(value: unknown): number {
  switch (typeof value) {
    case 'boolean':
      return 1;
    case 'number':
      if ((value | 0) !== value) throw new Error('float unsupported');
      return 4;
    case 'string':
      return utf8Length(value) + 1;
    default:
      if (value instanceof ArrayBuffer) return value.byteLength;
      throw new Error('unsupported type');
  }
}

function nrf52RecordBytes(domain: string, key: string, value: PreferenceValue): number {
  const bytes = utf8Length(domain) + 1 + utf8Length(key) + 1 + 1 + valueBytes(value) + (value instanceof ArrayBuffer ? 2 : 0);
  return (bytes + 3) & ~3;
}

function setEsp32(domain: string, key: string, value: PreferenceValue): void {
  if (utf8Length(domain) > NVS.name) throw new Error('nvs_open fail');
  const bytes = valueBytes(value);
  preferences().delete(domain, key); // the port erases first (ESP-IDF type-change workaround)
  const tooBig = typeof value === 'string' ? bytes > NVS.string : value instanceof ArrayBuffer && bytes > NVS.blob;
  if (utf8Length(key) > NVS.name || tooBig) throw new Error('nvs set fail');
  preferences().set(domain, key, value);
}

function setNrf52(domain: string, key: string, value: PreferenceValue): void {
  if (utf8Length(domain) > NRF52.name || utf8Length(key) > NRF52.name) throw new Error('too long');
  const record = nrf52RecordBytes(domain, key, value);
  if (record > NRF52.record || valueBytes(value) > NRF52.value) throw new Error("can't save prefs");
  preferences().delete(domain, key); // erased before the free space is counted
  const used = preferences().entries().reduce((sum, e) => sum + nrf52RecordBytes(e.domain, e.key, e.value), 0);
  if (used + record > NRF52.sector) throw new Error("can't save prefs");
  preferences().set(domain, key, value);
}

const Preference = Object.freeze({
  set(domain: string, key: string, value: string | boolean | number | ArrayBuffer): void {
    const [d, k] = [String(domain), String(key)];
    const stored = typeof value === 'number' && value === (value | 0) ? value | 0 : value; // int32, so -0 is 0
    if (hostPlatform() === 'nrf52') setNrf52(d, k, stored);
    else setEsp32(d, k, stored);
  },

  get(domain: string, key: string): string | boolean | number | ArrayBuffer | undefined {
    const [d, k] = [String(domain), String(key)];
    if (hostPlatform() === 'esp32') {
      if (utf8Length(d) > NVS.name) return undefined; // nvs_open fails: treated as "no such domain"
      if (utf8Length(k) > NVS.name) throw new Error('nvs get fail');
    }
    return preferences().get(d, k);
  },

  delete(domain: string, key: string): void {
    const [d, k] = [String(domain), String(key)];
    if (hostPlatform() === 'esp32') {
      if (utf8Length(d) > NVS.name) return;
      if (utf8Length(k) > NVS.name) throw new Error('nvs erase fail');
    }
    preferences().delete(d, k);
  },

  keys(domain: string): string[] {
    return preferences().keys(String(domain));
  },
});

export { Preference as default };
