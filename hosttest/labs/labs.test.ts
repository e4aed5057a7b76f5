// docs/labs/: every security-lab exercise run exactly as written, each on a fresh simulator
// started the way a student starts it. A lab's ```sh blocks run in bash in the repository with
// SIM, STATE and LAB set; every line of the ```text block that follows must appear in what they
// printed (stdout and stderr together).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSim } from '../cli/sim-process.js';
import type { RunningSim } from '../cli/sim-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const labsDir = join(root, 'docs/labs');

interface Step { readonly script: string; readonly expect: string[] }

/** The (```sh, ```text) pairs of a lab page, in order. */
function steps(markdown: string): Step[] {
  const blocks = [...markdown.matchAll(/^```(sh|text)\n([\s\S]*?)^```$/gm)].map((m) => ({ kind: m[1], body: m[2] }));
  const out: Step[] = [];
  blocks.forEach((b, i) => {
    const next = blocks[i + 1];
    if (b.kind === 'sh' && next?.kind === 'text') out.push({ script: b.body, expect: next.body.split('\n').filter((l) => l.trim()) });
  });
  return out;
}

function bash(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { cwd: root, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 8 << 20 }, (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
  });
}

const labs = readdirSync(labsDir).filter((f) => /^\d\d-.*\.md$/.test(f)).sort();

describe('security lab exercises (docs/labs), as written', function () {
  this.timeout(300_000);

  it('has at least five exercises, each with steps to run', () => {
    assert.ok(labs.length >= 5);
    for (const lab of labs) assert.ok(steps(readFileSync(join(labsDir, lab), 'utf8')).length > 0, `${lab} has no runnable step`);
  });

  for (const lab of labs) {
    it(lab, async () => {
      const state = mkdtempSync(join(tmpdir(), 'implant-lab-state-'));
      const work = mkdtempSync(join(tmpdir(), 'implant-lab-'));
      let sim: RunningSim | undefined;
      try {
        sim = await startSim(state, { fresh: true });
        await sim.waitFor((l) => /advertising/.test(l.text), 30_000);
        for (const step of steps(readFileSync(join(labsDir, lab), 'utf8'))) {
          const output = await bash(step.script, { SIM: sim.url, STATE: state, LAB: work });
          for (const line of step.expect) assert.ok(output.includes(line), `${lab}: expected "${line}" in:\n${output}`);
        }
      } finally {
        await sim?.stop();
        rmSync(state, { recursive: true, force: true });
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
});
