// Host shim of Moddable "mc/config" (typings/mc/config.d.ts): the manifest's "config" merged with
// that of the host platform's "platforms" entry (host-control, esp32 by default), deep-frozen as
// mcconfig builds it. Read once, when first imported, like the device's build-time constant.
import { existsSync, readFileSync } from 'node:fs';
import { hostPlatform } from '../host-control.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(target: Json, source: unknown): Json {
  if (!isObject(source)) return target;
  for (const [key, value] of Object.entries(source)) {
    target[key] = isObject(value) && isObject(target[key]) ? merge(target[key] as Json, value) : value;
  }
  return target;
}

function deepFreeze<T>(value: T): T {
  if (isObject(value) || Array.isArray(value)) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

function manifestConfig(): Json {
  const path = new URL('../../../manifest.json', import.meta.url);
  if (!existsSync(path)) return {};
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { config?: unknown; platforms?: Record<string, { config?: unknown }> };
  return merge(merge({}, manifest.config), manifest.platforms?.[hostPlatform()]?.config);
}

const Config: Readonly<Record<string, unknown>> = deepFreeze(manifestConfig());

export { Config as default };
