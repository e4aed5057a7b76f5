// `implant audit --sim URL [--export FILE] [--verify]`: reads the whole audit log over the
// secure channel (access.audit.read, clinician, 16 entries a page), writes it as an
// implant-audit-export/1 file (docs/storage.md) with the hash chain the programmer computed,
// and verifies it with the portable verifier (modules/storage/audit-export.ts): entries
// canonical, consecutive from the first anchor, every link. `implant audit --verify FILE`
// checks a file offline. The channel's audit read carries no device signature, so an export made
// here is authenticated by the session it was read in, not by a signature in the file.
import { readFile, writeFile } from 'node:fs/promises';
import { fromHex, toHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { genesisLink, LINK_BYTES, nextLink, TAG_BYTES } from '../../../modules/storage/audit-chain.js';
import { decodeAuditEntry } from '../../../modules/storage/audit-entry.js';
import { AUDIT_EXPORT_FORMAT, verifyAuditExport } from '../../../modules/storage/audit-export.js';
import type { AuditExport, AuditVerifyResult } from '../../../modules/storage/audit-export.js';
import { UsageError } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { PROGRAMMER_FLAGS } from '../sim-client/identity.js';
import { Exit, programmerCommand } from '../sim-client/programmer.js';
import type { Programmer } from '../sim-client/programmer.js';

/** access.audit.read's page (modules/access/commands.ts AUDIT_PAGE). */
const PAGE = 16;

async function readLog(p: Programmer): Promise<{ first: number; next: number; records: Uint8Array[] }> {
  const records: Uint8Array[] = [];
  let first = 0;
  let next = 0;
  for (let from = 0; ;) {
    const page = (await p.run('access.audit.read', new Map([['from', from], ['count', PAGE]]))) as { first: number; next: number; entries: string[] };
    if (records.length === 0) first = page.first;
    next = page.next;
    records.push(...page.entries.map(fromHex));
    from = Math.max(from, page.first) + page.entries.length;
    if (page.entries.length === 0 || from >= page.next) return { first, next, records };
  }
}

/** The export as the programmer can build it: canonical records and the chain computed over them. */
function buildExport(first: number, records: Uint8Array[]): AuditExport {
  let link = genesisLink();
  const entries = records.map((record) => {
    const entry = decodeAuditEntry(record);
    if (!entry) throw new UsageError('the device sent an audit entry that does not decode');
    link = nextLink(nobleProvider, link, record);
    return { ...entry, record: toHex(record), tag: toHex(new Uint8Array(TAG_BYTES)), link: toHex(link), authentic: true };
  });
  const last = entries.at(-1);
  return {
    format: AUDIT_EXPORT_FORMAT,
    dropped: Math.max(0, first - 1),
    checkpoints: [],
    entries,
    head: { seq: last?.seq ?? 0, link: last ? last.link : toHex(new Uint8Array(LINK_BYTES)) },
  };
}

interface Verdict {
  complete: boolean;
  chain: 'valid' | 'invalid';
  signature: AuditVerifyResult['signature'];
  firstBad?: AuditVerifyResult['firstBad'];
}

function verdict(exported: unknown, devicePublicKey?: Uint8Array): Verdict {
  const r = verifyAuditExport(exported, { crypto: nobleProvider, devicePublicKey });
  return { complete: r.firstBad === undefined, chain: r.firstBad ? 'invalid' : 'valid', signature: r.signature, ...(r.firstBad ? { firstBad: r.firstBad } : {}) };
}

const verdictText = (v: Verdict) => v.firstBad
  ? `audit log does NOT verify: first bad entry #${v.firstBad.seq} (${v.firstBad.fault})`
  : `audit log verifies: entries canonical and consecutive, hash chain intact; signature ${v.signature}`;

async function verifyFile(file: string, io: CliIO, json: boolean): Promise<number> {
  const exported = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const v = verdict(exported);
  io.out(json ? JSON.stringify({ file, ...v }) : verdictText(v));
  return v.firstBad ? Exit.REFUSED : Exit.OK;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: "read the implant's audit log (clinician), export it to a file and verify its chain",
  usage: '--sim ws://HOST:PORT [--export FILE] [--verify] [identity flags] [--json] | --verify FILE',
  flags: {
    ...PROGRAMMER_FLAGS,
    export: { type: 'string', value: 'FILE', description: 'write the log as an implant-audit-export/1 JSON file' },
    verify: { type: 'boolean', description: 'verify the log (or, without --sim, the export FILE given)' },
  },
  async run(args, io) {
    const json = args.flags.json === true;
    if (args.flags.sim === undefined && args.flags.verify === true && args.positionals.length === 1) return verifyFile(args.positionals[0], io, json);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    return programmerCommand('audit', args, io, 'clinician', async (p) => {
      const { first, next, records } = await readLog(p);
      const exported = buildExport(first, records);
      const file = args.flags.export as string | undefined;
      if (file) await writeFile(file, `${JSON.stringify(exported, null, 1)}\n`);
      const complete = records.length === next - first;
      const v = args.flags.verify === true ? verdict(exported) : undefined;
      const ok = complete && (!v || !v.firstBad);
      const summary = { entries: records.length, first, next, complete, ...(file ? { file } : {}), ...(v ? { verify: v } : {}) };
      const lines = [
        `${records.length} entries (#${first}..#${next - 1})${complete ? '' : ', INCOMPLETE: the device holds more than it sent'}${file ? `, written to ${file}` : ''}`,
        ...(v ? [verdictText(v)] : exported.entries.slice(-10).map((e) => `#${e.seq} ${e.event} ${e.actor.role} ${e.outcome}${e.detail ? ` ${e.detail}` : ''}`)),
      ];
      return { json: summary, text: lines.join('\n'), code: ok ? Exit.OK : Exit.REFUSED };
    });
  },
};
