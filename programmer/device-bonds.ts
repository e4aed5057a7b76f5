// What a programmer keeps per implant it knows (its bond): the implant's static key for IK and
// the IRK it received in an authenticated session (radio.irk.get), with which it picks that
// implant out of a scan although the implant's address changes every rotation (docs/privacy.md).
import { IRK_BYTES } from '../modules/access/identity.js';
import { Status } from '../modules/channel/status.js';
import { equalBytes } from '../modules/core/bytes.js';
import type { CborValue } from '../modules/core/cbor.js';
import { resolvesWith } from './private-address.js';

export interface DeviceBond {
  /** The implant's Noise static key (pinned at pairing or first contact). */
  readonly deviceStatic: Uint8Array;
  /** Its identity resolving key; absent for an implant on a board without privacy or not yet asked. */
  readonly irk?: Uint8Array;
  /** The fixed address of an implant whose board advertises no private address (ESP32, lin). */
  readonly address?: Uint8Array;
}

export interface IrkLink {
  request(name: string, args?: CborValue): Promise<{ readonly status: number; readonly result: CborValue }>;
}

/** The implant refused radio.irk.get (`status`), or its reply was not an IRK (`status` undefined). */
export class IrkError extends Error {
  constructor(readonly status?: number) {
    super(status === undefined ? 'radio.irk.get: malformed reply' : `radio.irk.get: refused (status ${status})`);
    this.name = 'IrkError';
  }
}

/** Asks the implant for its IRK in the session just opened; `resolvable` false: the board advertises a fixed address. */
export async function requestIrk(link: IrkLink): Promise<{ irk: Uint8Array; resolvable: boolean; rotationSeconds: number }> {
  const answer = await link.request('radio.irk.get', new Map());
  if (answer.status !== Status.OK) throw new IrkError(answer.status);
  const reply = answer.result instanceof Map ? answer.result : new Map();
  const [irk, resolvable, rotationSeconds] = ['irk', 'resolvable', 'rotationSeconds'].map((k) => reply.get(k));
  if (!(irk instanceof Uint8Array) || irk.length !== IRK_BYTES || typeof resolvable !== 'boolean' || typeof rotationSeconds !== 'number') {
    throw new IrkError();
  }
  return { irk, resolvable, rotationSeconds };
}

/** Whether `address` is this bond's implant: it resolves under the bond's IRK, or is its fixed address. */
export function isBondedAddress(bond: DeviceBond, address: Uint8Array): boolean {
  if (bond.irk) return resolvesWith(bond.irk, address);
  return bond.address !== undefined && equalBytes(bond.address, address);
}

/** The advertiser (of a scan) that one of `bonds` recognises, with that bond; undefined when none does. */
export function findBonded<A extends { readonly address: Uint8Array }, B extends DeviceBond>(advertisers: readonly A[], bonds: readonly B[]): { advertiser: A; bond: B } | undefined {
  for (const advertiser of advertisers) {
    const bond = bonds.find((b) => isBondedAddress(b, advertiser.address));
    if (bond) return { advertiser, bond };
  }
  return undefined;
}
