// tools/oberon-check needs the nRF5 SDK, an Arm compiler and QEMU, none of which CI has; without
// them it must say what is missing and exit 2, never pass as if it had checked anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../tools/oberon-check/check.mjs', import.meta.url));

describe('npm run check:oberon without its prerequisites', () => {
  for (const [what, sdk] of [['no NRF_SDK_DIR', undefined], ['an NRF_SDK_DIR without liboberon', '/nonexistent-sdk']] as const) {
    it(`exits 2 and names the missing part (${what})`, () => {
      const env = { ...process.env };
      delete env.NRF_SDK_DIR;
      if (sdk) env.NRF_SDK_DIR = sdk;
      const run = spawnSync(process.execPath, [script], { env, encoding: 'utf8' });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /NRF_SDK_DIR.*liboberon_3\.0\.6\.a/);
    });
  }
});
