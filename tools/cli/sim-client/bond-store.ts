// The CLI's bond store (docs/cli.md, "Bonds"): a JSON file of the implants this programmer knows,
// each its static key and either its IRK (the board advertises resolvable private addresses) or
// its fixed address (a board without privacy), so a scan finds that implant among other
// advertisers (docs/privacy.md). The file holds no secret of the programmer's own, but an IRK
// lets its holder follow the patient: keep it like the programmer key.
import { readFile, writeFile } from 'node:fs/promises';
import { IRK_BYTES } from '../../../modules/access/identity.js';
import { equalBytes, fromHex, toHex } from '../../../modules/core/bytes.js';
import type { DeviceBond } from '../../../programmer/device-bonds.js';
import { ADDRESS_BYTES } from '../../../programmer/private-address.js';
import { UsageError } from '../args.js';

const FORMAT = 'implant-bonds/1';

interface BondJson {
  deviceKey: string;
  irk?: string;
  address?: string;
}

function parseBond(entry: unknown, file: string): DeviceBond {
  const e = entry as Partial<BondJson>;
  const hex = (v: unknown, bytes: number) => typeof v === 'string' && v.length === 2 * bytes && /^[0-9a-f]+$/.test(v);
  if (!hex(e?.deviceKey, 32) || (e.irk !== undefined && !hex(e.irk, IRK_BYTES)) || (e.address !== undefined && !hex(e.address, ADDRESS_BYTES))) {
    throw new UsageError(`${file}: a bond needs deviceKey (64 hex digits) and an irk (32) or address (12)`);
  }
  return { deviceStatic: fromHex(e.deviceKey!), ...(e.irk ? { irk: fromHex(e.irk) } : {}), ...(e.address ? { address: fromHex(e.address) } : {}) };
}

/** The bonds in `file`; none if it does not exist yet. */
export async function loadBonds(file: string): Promise<DeviceBond[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let data: { format?: unknown; bonds?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
  if (data.format !== FORMAT || !Array.isArray(data.bonds)) throw new UsageError(`${file} is not an ${FORMAT} file`);
  return data.bonds.map((b) => parseBond(b, file));
}

/** Adds `bond` to `file`, replacing a bond of the same implant key. */
export async function saveBond(file: string, bond: DeviceBond): Promise<void> {
  const bonds = (await loadBonds(file)).filter((b) => !equalBytes(b.deviceStatic, bond.deviceStatic));
  bonds.push(bond);
  const json: BondJson[] = bonds.map((b) => ({
    deviceKey: toHex(b.deviceStatic), ...(b.irk ? { irk: toHex(b.irk) } : {}), ...(b.address ? { address: toHex(b.address) } : {}),
  }));
  await writeFile(file, `${JSON.stringify({ format: FORMAT, bonds: json }, null, 2)}\n`, { mode: 0o600 });
}
