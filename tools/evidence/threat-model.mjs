#!/usr/bin/env node
// `npm run docs:threats`: renders section 2 of docs/threat-model.md from docs/threats.json (the
// threat model as data), between the BEGIN/END markers; `--check` only reports whether the
// document is current (exit 1 if not). hosttest/tools/threat-model.test.ts runs the check and
// proves every test a threat names exists and is not skipped.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
export const DATA_FILE = 'docs/threats.json';
export const DOC_FILE = 'docs/threat-model.md';
export const BEGIN = '<!-- BEGIN GENERATED from docs/threats.json by `npm run docs:threats`; edit the JSON, not this section -->';
export const END = '<!-- END GENERATED -->';

/** Exploitability x severity (1-5 each), and its band. */
export function riskScore({ exploitability, severity }) {
  const score = exploitability * severity;
  return { score, level: score >= 15 ? 'high' : score >= 8 ? 'medium' : 'low' };
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const risk = (r) => {
  const { score, level } = riskScore(r);
  return `${score} ${level} (E${r.exploitability}×S${r.severity})`;
};
const evidence = (tests) => tests.map((t) => `\`${t.file.replace(/^hosttest\//, '')}\` "${t.name}"`).join('; ');

export function renderThreatSection(data) {
  const attackName = new Map(data.attacks.map((a) => [a.id, a.name.split(',')[0].split(' (')[0]]));
  const lines = [
    BEGIN,
    '',
    'STRIDE: **S**poofing, **T**ampering, **R**epudiation, **I**nformation disclosure, **D**enial of',
    'service, **E**levation of privilege. Risk is exploitability × severity (each 1–5; 15 and above',
    'high, 8–14 medium, below 8 low), before the controls and with them. In the evidence column a',
    'path is relative to `hosttest/` and the quoted text is the exact title of an `it(...)` or',
    '`describe(...)` in that file.',
    '',
    '| # | threat (STRIDE) | interface | attacks | risk before → after | control | evidence (`hosttest/…`) | residual risk |',
    '|---|---|---|---|---|---|---|---|',
    ...data.threats.map((t) => `| ${t.id} | ${cell(t.title)} (${t.stride.join(', ')}) | ${t.interface} | ${cell(t.attacks.map((a) => attackName.get(a)).join('; ') || t.anchor)} | ${risk(t.risk.before)} → ${risk(t.risk.after)} | ${cell(t.control)} | ${cell(evidence(t.tests))} | ${cell(t.residual)} |`),
    '',
    '### Historical attacks and the threats they map to',
    '',
    '| attack | what happened | threats |',
    '|---|---|---|',
    ...data.attacks.map((a) => `| ${cell(a.name)} | ${cell(a.summary)} | ${data.threats.filter((t) => t.attacks.includes(a.id)).map((t) => t.id).join(', ')} |`),
    '',
    '### Threats per interface',
    '',
    '| interface | threats | highest risk before → after |',
    '|---|---|---|',
    ...data.interfaces.map((i) => {
      const of = data.threats.filter((t) => t.interface === i);
      const max = (k) => Math.max(...of.map((t) => riskScore(t.risk[k]).score));
      return `| ${i} | ${of.map((t) => t.id).join(', ')} | ${max('before')} → ${max('after')} |`;
    }),
    '',
    END,
  ];
  return lines.join('\n');
}

export function readThreats() {
  return JSON.parse(readFileSync(new URL(DATA_FILE, root), 'utf8'));
}

/** The document with its generated section replaced by a fresh rendering. */
export function regenerated(doc, data) {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC_FILE} has no generated section (markers missing)`);
  return doc.slice(0, start) + renderThreatSection(data) + doc.slice(end + END.length);
}

function main(args) {
  const doc = readFileSync(new URL(DOC_FILE, root), 'utf8');
  const next = regenerated(doc, readThreats());
  if (args.includes('--check')) {
    if (next !== doc) {
      console.error(`${DOC_FILE} is out of date: run npm run docs:threats`);
      return 1;
    }
    return 0;
  }
  writeFileSync(new URL(DOC_FILE, root), next);
  console.log(`wrote ${DOC_FILE} section 2 from ${DATA_FILE}`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
