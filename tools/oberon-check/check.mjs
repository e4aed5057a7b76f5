#!/usr/bin/env node
// `npm run check:oberon`: the nRF52 build's Oberon wrappers (modules/crypto/native/curves-oberon.c
// and symmetric-oberon.c) and the boot stage's (platforms/nrf52/boot-stage/nrf52/crypto_oberon.c)
// with the real liboberon, compiled for the nRF52840's Cortex-M4 and run
// under QEMU (mps2-an386) over the repository's Wycheproof suites. The host tests run the same
// suites through the mc/ffi shim (node:crypto); this runs the C and the library the board links.
// Needs NRF_SDK_DIR (the nRF5 SDK 17.0.2, as for `npm run flash -- nrf52/dk`), Debian's
// gcc-arm-none-eabi and libnewlib-arm-none-eabi, and qemu-system-arm. Exit 0 when every case
// gives its expected answer, 1 otherwise, 2 when a prerequisite is missing. OBERON_CHECK_KEEP=1
// keeps the working folder (the ELF, cases.txt, results.txt) for a look with gdb or by hand.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const vectors = (name) => JSON.parse(readFileSync(join(root, 'hosttest/vectors/wycheproof', `${name}_test.json`), 'utf8'));
const hex = (s) => (s === '' ? '-' : s);

/** Each case: the driver's line and what a correct answer is. */
function cases() {
  const all = [];
  const add = (suite, line, expect) => all.push({ id: `${suite}.${all.length}`, suite, line, expect });
  for (const [suite, kind] of [['chacha20_poly1305', 'chacha'], ['aes_gcm', 'gcm']]) {
    for (const group of vectors(suite).testGroups) {
      // The wrappers' contract (checks.ts refuses the rest before any native call): 256-bit key, 96-bit nonce, 128-bit tag.
      if (group.keySize !== 256 || group.ivSize !== 96 || group.tagSize !== 128) continue;
      for (const t of group.tests) {
        const fields = [t.key, t.iv, hex(t.aad)];
        if (t.result === 'valid') add(suite, ['seal' + kind, fields, hex(t.msg)], { status: 0, out: t.ct + t.tag });
        add(suite, ['open' + kind, fields, t.ct + t.tag], t.result === 'valid' ? { status: 0, out: t.msg } : { status: -1 });
      }
    }
  }
  for (const group of vectors('hmac_sha256').testGroups) {
    for (const t of group.tests) add('hmac_sha256', ['hmac', [t.key], hex(t.msg)], { mac: t.tag, valid: t.result === 'valid' });
  }
  for (const size of [0, 1, 55, 56, 63, 64, 65, 1000, 4000]) {
    const message = Buffer.alloc(size, 0).map((_, i) => (i * 31 + 7) & 0xff);
    const digest = createHash('sha256').update(message).digest('hex');
    add('sha256', ['sha', [], hex(message.toString('hex'))], { status: 0, out: digest });
    add('stage-sha256', ['stagesha', [], hex(message.toString('hex'))], { status: 0, out: digest });
  }
  for (const group of vectors('x25519').testGroups) {
    for (const t of group.tests) {
      // curves-oberon.c refuses only the all-zero result; checks.ts refuses non-canonical keys before the call.
      const zero = /^0+$/.test(t.shared);
      add('x25519', ['x25519', [t.private], t.public], zero ? { status: -1 } : { status: 0, out: t.shared, canonicalOnly: t.result !== 'valid' });
    }
  }
  for (const group of vectors('ed25519').testGroups) {
    for (const t of group.tests) {
      add('ed25519', ['verify', [group.publicKey.pk, hex(t.msg)], t.sig], { verified: t.result === 'valid' });
      // The stage has no JavaScript in front of it: it must decide every case itself.
      add('stage-ed25519', ['stageverify', [group.publicKey.pk, hex(t.msg)], hex(t.sig)], { verified: t.result === 'valid', strict: true });
    }
  }
  return all;
}

/** Whether the driver's answer is the expected one; 'policy' when only the JavaScript checks before the call can decide. */
function judge(c, status, out) {
  const e = c.expect;
  if ('mac' in e) return (out.startsWith(e.mac) === e.valid && status === 0) ? 'ok' : 'wrong';
  if ('verified' in e) return (status === 1) === e.verified ? 'ok' : e.verified || e.strict ? 'wrong' : 'policy';
  if (e.status !== status) return e.canonicalOnly ? 'policy' : 'wrong';
  return e.out === undefined || e.out === out.replace(/^-$/, '') ? 'ok' : e.canonicalOnly ? 'policy' : 'wrong';
}

function need(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    console.error(`oberon-check: ${command} is missing (see the comment at the top of tools/oberon-check/check.mjs)`);
    process.exit(2);
  }
}

const sdk = process.env.NRF_SDK_DIR;
const library = sdk && join(sdk, 'external/nrf_oberon/lib/cortex-m4/hard-float/liboberon_3.0.6.a');
if (!library || !existsSync(library)) {
  console.error('oberon-check: set NRF_SDK_DIR to the nRF5 SDK 17.0.2 (its external/nrf_oberon holds liboberon_3.0.6.a)');
  process.exit(2);
}
need('arm-none-eabi-gcc', ['--version']);
need('qemu-system-arm', ['--version']);

const work = mkdtempSync(join(tmpdir(), 'oberon-check-'));
try {
  const native = join(root, 'modules/crypto/native');
  const stage = join(root, 'platforms/nrf52/boot-stage');
  execFileSync('arm-none-eabi-gcc', [
    '-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16', '-Os', '-Wall', '-Wextra', '-Werror', '-Dnrf52',
    `-I${join(sdk, 'external/nrf_oberon')}`, `-I${join(sdk, 'external/nrf_oberon/include')}`, `-I${native}`, `-I${join(stage, 'core')}`, '-specs=rdimon.specs', '-nostartfiles', '-T', join(here, 'mps2.ld'),
    join(here, 'start.c'), join(here, 'driver.c'), join(native, 'curves-oberon.c'), join(native, 'symmetric-oberon.c'), join(stage, 'nrf52/crypto_oberon.c'), library,
    '-o', join(work, 'driver.elf'),
  ], { stdio: 'inherit' });
  const all = cases();
  writeFileSync(join(work, 'cases.txt'), all.map((c) => [c.line[0], c.id, ...c.line[1], c.line[2]].join(' ')).join('\n') + '\n');
  execFileSync('qemu-system-arm', ['-M', 'mps2-an386', '-nographic', '-semihosting', '-kernel', 'driver.elf'], { cwd: work, stdio: 'inherit', timeout: 600_000 });
  const answers = new Map(readFileSync(join(work, 'results.txt'), 'utf8').trim().split('\n').map((l) => {
    const [id, status, out] = l.split(' ');
    return [id, { status: Number(status), out }];
  }));
  const bySuite = new Map();
  let wrong = 0;
  for (const c of all) {
    const a = answers.get(c.id);
    const verdict = a ? judge(c, a.status, a.out) : 'missing';
    const tally = bySuite.get(c.suite) ?? { ok: 0, policy: 0, wrong: [] };
    if (verdict === 'ok' || verdict === 'policy') tally[verdict]++;
    else tally.wrong.push(`${c.id} (${verdict})`), wrong++;
    bySuite.set(c.suite, tally);
  }
  for (const [suite, t] of bySuite) {
    const policy = t.policy ? `, ${t.policy} left to the JavaScript checks before the call` : '';
    console.log(`${suite}: ${t.ok} as expected${policy}${t.wrong.length ? `, WRONG: ${t.wrong.join(', ')}` : ''}`);
  }
  process.exitCode = wrong === 0 ? 0 : 1;
} finally {
  if (!process.env.OBERON_CHECK_KEEP) rmSync(work, { recursive: true, force: true });
}
