// `node --import ./host/register.mjs tools/flash/qspi-image.ts PKG --root PUB.pem -o FILE.hex [--slot 0|1]`:
// the factory contents of an nRF52840 DK's QSPI flash for the boot stage: the signed package
// staged into a slot exactly as the firmware's stager writes it (image, trailer, marks), as
// Intel HEX at the QSPI addresses nrfjprog programs (0x12000000 + offset; docs/bootloader.md,
// "Flashing the DK"). Only sectors that are not blank are written. The package is checked
// against the root first: a slot the stage would refuse is never produced.
import { readFileSync, writeFileSync } from 'node:fs';
import { keyIdOf } from '../../modules/access/key-id.js';
import { equalBytes } from '../../modules/core/bytes.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { splitPackage, verifyPackage } from '../../modules/bootloader/package.js';
import { NRF52_QSPI_LAYOUT, type QspiLayout } from '../../modules/bootloader/qspi-layout.js';
import { Stager } from '../../modules/bootloader/stager.js';
import { NorFlash } from '../../host/sim/nor-flash.js';
import { intArg, parseArgs, UsageError } from '../cli/args.js';
import { parsePublicKeyPem } from './keys.js';

/** nrfjprog's address of QSPI offset 0 (the nRF52840's XIP window). */
export const QSPI_HEX_BASE = 0x12000000;
const SECTOR = 4096;

/** The slot's bytes after the firmware's stager wrote `pkg` into it (0xFF where nothing was written). */
export function stagedSlot(pkg: Uint8Array, publicKey: Uint8Array, layout: QspiLayout = NRF52_QSPI_LAYOUT): Uint8Array {
  const kid = keyIdOf(crypto.sha256, publicKey);
  const checked = verifyPackage(crypto, pkg, (k) => (k && equalBytes(k, kid) ? { ok: true, publicKey } : { ok: false, reason: 'unknown-key' }));
  const slot = new NorFlash({ size: layout.slotSize, eraseSize: SECTOR, writeSize: 4 });
  const stager = Stager.start(slot, bankLayout(slot), crypto, checked.manifest, checked.bytes);
  stager.write(0, splitPackage(pkg).image);
  if (!stager.complete) throw new Error('the staged image did not complete');
  return slot.cells;
}

/** Intel HEX (type 00 data, 04 extended linear address, 01 end) of the non-blank sectors of `bytes` at `base`. */
export function intelHex(bytes: Uint8Array, base: number): string {
  const lines: string[] = [];
  const record = (type: number, address: number, data: Uint8Array): void => {
    const body = [data.length, (address >> 8) & 0xff, address & 0xff, type, ...data];
    const sum = (0x100 - (body.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
    lines.push(`:${[...body, sum].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}`);
  };
  let upper = -1;
  for (let sector = 0; sector < bytes.length; sector += SECTOR) {
    if (bytes.subarray(sector, sector + SECTOR).every((b) => b === 0xff)) continue;
    for (let at = sector; at < sector + SECTOR; at += 16) {
      const address = base + at;
      if (address >>> 16 !== upper) {
        upper = address >>> 16;
        record(0x04, 0, Uint8Array.of(upper >> 8, upper & 0xff));
      }
      record(0x00, address & 0xffff, bytes.subarray(at, at + 16));
    }
  }
  record(0x01, 0, new Uint8Array(0));
  return `${lines.join('\n')}\n`;
}

const FLAGS = {
  root: { type: 'string', value: 'PEM', description: 'the manufacturer root public key the boot stage trusts' },
  slot: { type: 'string', value: 'N', description: 'QSPI slot, 0 (default) or 1' },
  out: { type: 'string', short: 'o', value: 'FILE', description: 'Intel HEX file to write' },
} as const;

function main(argv: string[]): number {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (positionals.length !== 1 || typeof flags.root !== 'string' || typeof flags.out !== 'string') {
    throw new UsageError('usage: qspi-image.ts PKG --root PUB.pem -o FILE.hex [--slot 0|1]');
  }
  const slot = intArg('slot', flags.slot as string | undefined, 0, 1, 0);
  const { publicKey } = parsePublicKeyPem(readFileSync(flags.root, 'utf8'));
  const cells = stagedSlot(new Uint8Array(readFileSync(positionals[0])), publicKey);
  writeFileSync(flags.out, intelHex(cells, QSPI_HEX_BASE + NRF52_QSPI_LAYOUT.slotOffsets[slot as 0 | 1]));
  process.stdout.write(`${flags.out}: package staged for QSPI slot ${slot}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`qspi-image: ${(error as Error).message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
