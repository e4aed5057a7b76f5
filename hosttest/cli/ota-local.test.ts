// `implant ota --local`: the CLI updates the assembled firmware on a simulated board in its own
// process (built trusting --root), over the host BLE shim: a resume after a dropped link and a
// confirmed trial; a failing self-test reverts; a package from another root is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../host/lib/prng.js';
import { cli } from './sim-process.js';

describe('cli: implant ota --local through the assembled firmware', function () {
  this.timeout(60_000);
  let dir: string;
  const at = (name: string) => join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'implant-ota-'));
    writeFileSync(at('app.bin'), new Prng(3).bytes(20_000));
    for (const name of ['root', 'other']) assert.equal((await cli('keygen', '--kind', 'root', '--out', at(name))).code, 0);
    assert.equal((await cli('sign', '--key', at('root.key.pem'), '--version', '1.2.0', '--counter', '5', at('app.bin'), '-o', at('app.pkg'))).code, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes after a dropped link and confirms the trial: the device runs the new version at its counter', async () => {
    const r = await cli('ota', at('app.pkg'), '--local', '--root', at('root.pub.pem'), '--drop-at', '9000', '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.json(), { sent: 20_000, resumes: 1, trial: 'confirmed', running: '1.2.0', securityCounter: 5 });
  });

  it('reverts to the factory image when the trial self-test fails', async () => {
    const r = await cli('ota', at('app.pkg'), '--local', '--root', at('root.pub.pem'), '--fail-self-test', '--json');
    assert.equal(r.code, 1);
    assert.deepEqual(r.json(), { sent: 20_000, resumes: 0, trial: 'reverted', running: '0.0.1', securityCounter: 0 });
  });

  it('refuses a package signed by a root the device was not built with', async () => {
    const r = await cli('ota', at('app.pkg'), '--local', '--root', at('other.pub.pem'), '--json');
    assert.equal(r.code, 1);
    assert.deepEqual(r.json(), { sent: 0, refused: 'unknown-key', status: 99 });
  });
});
