// Exhaustive boundary tests of the Table 7 grid and the interactive limits, and a property test
// that no accepted command sequence ever leaves parameters outside the table.
// @req SAF-03 (docs/traceability.md)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NOMINAL, PACE_NOW, PARAMETER_TABLE, POR } from '../../modules/therapy/params.js';
import type { PacingParameters, ParameterName } from '../../modules/therapy/params.js';
import { ALL_MODES, PROGRAMMABLE_MODES } from '../../modules/therapy/modes.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { applyChanges, checkLimits, checkValue, validateParameters } from '../../modules/therapy/validate.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

// The spec's grid restated independently of modules/therapy/params.ts (PACEMAKER Table 7, in the units of docs/therapy.md).
const range = (min: number, max: number, step: number): number[] => {
  const out: number[] = [];
  for (let v = min; v <= max; v += step) out.push(v);
  return out;
};
const LRL = [...range(30, 50, 5), ...range(51, 90, 1), ...range(95, 175, 5)];
const AMPLITUDE = [0, ...range(500, 3200, 100), ...range(3500, 7000, 500)];
const REFRACTORY = range(150, 500, 10);
const SMOOTHING = [0, 3, 6, 9, 12, 15, 18, 21, 25];
const TABLE: Record<Exclude<ParameterName, 'mode' | 'dynamicAv' | 'atrMode' | 'activityThreshold' | 'magnetResponse' | 'pmtProtection' | 'ventricularSafetyPacing'>, number[]> = {
  lrl: LRL,
  url: range(50, 175, 5),
  msr: range(50, 175, 5),
  avDelay: range(70, 300, 10),
  minDynamicAv: range(30, 100, 10),
  sensedAvOffset: [0, ...range(-100, -10, 10)],
  aAmplitude: AMPLITUDE,
  vAmplitude: AMPLITUDE,
  aPulseWidth: [50, ...range(100, 1900, 100)],
  vPulseWidth: [50, ...range(100, 1900, 100)],
  aSensitivity: [250, 500, 750, ...range(1000, 10000, 500)],
  vSensitivity: [250, 500, 750, ...range(1000, 10000, 500)],
  vrp: REFRACTORY,
  arp: REFRACTORY,
  pvarp: REFRACTORY,
  pvarpExtension: [0, ...range(50, 400, 50)],
  hysteresis: [0, ...LRL],
  rateSmoothingUp: SMOOTHING,
  rateSmoothingDown: SMOOTHING,
  atrDuration: [10, 20, 40, 60, 80, ...range(100, 2000, 100)],
  atrFallback: range(1, 5, 1),
  vBlanking: range(30, 60, 10),
  reactionTime: range(10, 50, 10),
  responseFactor: range(1, 16, 1),
  recoveryTime: range(2, 16, 1),
};

function inTable(p: PacingParameters): boolean {
  for (const [name, values] of Object.entries(TABLE)) if (!values.includes(p[name as keyof typeof TABLE])) return false;
  return ALL_MODES.includes(p.mode) && typeof p.dynamicAv === 'boolean' && typeof p.atrMode === 'boolean'
    && ['V-Low', 'Low', 'Med-Low', 'Med', 'Med-High', 'High', 'V-High'].includes(p.activityThreshold);
}

describe('therapy parameters: the Table 7 grid', () => {
  it('factory nominals, POR and Pace-Now sets are the spec values and valid', () => {
    assert.deepEqual(
      [NOMINAL.mode, NOMINAL.lrl, NOMINAL.url, NOMINAL.msr, NOMINAL.avDelay, NOMINAL.vrp, NOMINAL.arp, NOMINAL.pvarp, NOMINAL.aAmplitude, NOMINAL.aPulseWidth, NOMINAL.aSensitivity, NOMINAL.vSensitivity, NOMINAL.atrDuration, NOMINAL.vBlanking, NOMINAL.reactionTime, NOMINAL.responseFactor, NOMINAL.recoveryTime],
      ['DDD', 60, 120, 120, 150, 320, 250, 250, 3500, 400, 750, 2500, 20, 40, 30, 8, 5],
    );
    assert.deepEqual([POR.mode, POR.lrl, POR.vAmplitude, POR.vPulseWidth, POR.vrp, POR.vSensitivity], ['VVI', 65, 5000, 500, 320, 1500]);
    assert.equal(PACE_NOW.vPulseWidth, 1000);
    for (const p of [NOMINAL, POR, PACE_NOW]) {
      assert.ok(validateParameters(p).ok);
      assert.ok(inTable(p));
    }
  });

  for (const [name, allowed] of Object.entries(TABLE)) {
    it(`${name}: every integer from below the minimum to above the maximum is accepted exactly when on the grid`, () => {
      const min = Math.min(...allowed), max = Math.max(...allowed);
      const span = Math.max(10, Math.round((max - min) / 10));
      for (let v = min - span; v <= max + span; v++) {
        const error = checkValue(name as ParameterName, v);
        assert.equal(error === null, allowed.includes(v), `${name}=${v}`);
        if (error) assert.deepEqual([error.code, error.parameter], ['range', name]);
      }
      for (const bad of [min + 0.5, Number.NaN, Infinity, String(min), null, true]) {
        const error = checkValue(name as ParameterName, bad);
        assert.ok(error, `${name}=${String(bad)} accepted`);
        assert.equal(error.parameter, name);
      }
    });
  }

  it('mode, booleans and the activity threshold take only their listed values', () => {
    for (const mode of ALL_MODES) assert.equal(checkValue('mode', mode), null);
    assert.equal(ALL_MODES.length, 23);
    for (const bad of ['VVD', 'DDDD', 'ddd', '', 'Oao', 'OOOR', 3]) assert.equal(checkValue('mode', bad)?.code, 'range');
    for (const name of ['dynamicAv', 'atrMode', 'magnetResponse', 'pmtProtection', 'ventricularSafetyPacing'] as const) {
      assert.equal(checkValue(name, true), null);
      assert.equal(checkValue(name, 1)?.code, 'type');
    }
    assert.equal(checkValue('activityThreshold', 'Med-High'), null);
    assert.equal(checkValue('activityThreshold', 'med')?.code, 'range');
  });

  it('the parameter table covers every parameter of a set', () => {
    assert.deepEqual(Object.keys(PARAMETER_TABLE).sort(), Object.keys(NOMINAL).filter((k) => k !== 'mode').sort());
  });
});

describe('therapy parameters: interactive limits', () => {
  const limit = (changes: Partial<PacingParameters>): [string, string] | null => {
    const r = applyChanges(NOMINAL, changes);
    return r.ok ? null : [r.error.code, r.error.parameter];
  };

  it('LRL < URL', () => {
    assert.equal(limit({ lrl: 115, url: 120 }), null);
    assert.deepEqual(limit({ lrl: 120, url: 120, mode: 'VVI' }), ['conflict', 'url']);
    assert.deepEqual(limit({ lrl: 125, url: 120, mode: 'VVI' }), ['conflict', 'url']);
  });

  it('LRL <= MSR', () => {
    assert.equal(limit({ lrl: 90, msr: 90, url: 150, mode: 'VVIR' }), null);
    assert.deepEqual(limit({ lrl: 95, msr: 90, url: 150, mode: 'VVIR' }), ['conflict', 'msr']);
  });

  it('AV delay + PVARP below the URI in tracking modes only', () => {
    assert.equal(limit({ avDelay: 250, pvarp: 240 }), null); // 490 < 500
    assert.deepEqual(limit({ avDelay: 250, pvarp: 250 }), ['conflict', 'pvarp']);
    assert.deepEqual(limit({ avDelay: 250, pvarp: 250, mode: 'VDD' }), ['conflict', 'pvarp']);
    assert.equal(limit({ avDelay: 250, pvarp: 250, mode: 'DDI' }), null);
  });

  it('hysteresis below LRL, dynamic AV minimum below the AV delay and above blanking', () => {
    assert.equal(limit({ hysteresis: 55 }), null);
    assert.deepEqual(limit({ hysteresis: 60 }), ['conflict', 'hysteresis']);
    assert.equal(limit({ dynamicAv: true, minDynamicAv: 100, avDelay: 110 }), null);
    assert.deepEqual(limit({ dynamicAv: true, minDynamicAv: 100, avDelay: 100 }), ['conflict', 'minDynamicAv']);
    assert.deepEqual(limit({ dynamicAv: true, minDynamicAv: 40, vBlanking: 40 }), ['conflict', 'minDynamicAv']);
    assert.equal(limit({ dynamicAv: false, minDynamicAv: 30, vBlanking: 60 }), null);
  });

  it('sensed AV delay at least 30 ms', () => {
    assert.equal(limit({ avDelay: 70, sensedAvOffset: -40 }), null);
    assert.deepEqual(limit({ avDelay: 70, sensedAvOffset: -50 }), ['conflict', 'sensedAvOffset']);
  });

  it('refractory periods shorter than the lower rate interval', () => {
    const fast = { lrl: 125, url: 130, msr: 130, mode: 'VVI' as const, avDelay: 70, pvarp: 150 }; // LRI 480
    assert.equal(limit({ ...fast, vrp: 470 }), null);
    assert.deepEqual(limit({ ...fast, vrp: 480 }), ['conflict', 'vrp']);
    assert.deepEqual(limit({ ...fast, arp: 480 }), ['conflict', 'arp']);
    assert.equal(limit({ ...fast, pvarp: 150, pvarpExtension: 300 }), null);
    assert.deepEqual(limit({ ...fast, pvarp: 150, pvarpExtension: 350 }), ['conflict', 'pvarpExtension']);
  });

  it('a paced chamber needs an amplitude', () => {
    assert.deepEqual(limit({ aAmplitude: 0 }), ['conflict', 'aAmplitude']);
    assert.equal(limit({ aAmplitude: 0, mode: 'VVI' }), null);
    assert.deepEqual(limit({ vAmplitude: 0, mode: 'VOO' }), ['conflict', 'vAmplitude']);
  });

  it('unknown names and non-objects are rejected by name', () => {
    assert.deepEqual(limit({ bogus: 1 } as never), ['unknown-parameter', 'bogus']);
    assert.deepEqual(limit({ __proto__: 1 } as never), null);
    const r = applyChanges(NOMINAL, JSON.parse('{"__proto__": {"lrl": 200}}'));
    assert.ok(!r.ok && r.error.parameter === '__proto__');
    assert.equal(validateParameters([]).ok, false);
    assert.equal(validateParameters({ ...NOMINAL, extra: 1 }).ok, false);
    const missing: Record<string, unknown> = { ...NOMINAL };
    delete missing.vrp;
    const m = validateParameters(missing);
    assert.ok(!m.ok && m.error.parameter === 'vrp');
  });

  it('no set that passes the limits paces faster than 175 ppm (below the 205 ppm runaway cap)', () => {
    for (const p of [NOMINAL, POR, PACE_NOW]) assert.equal(checkLimits(p), null);
    assert.ok(Math.max(...TABLE.url, ...TABLE.msr, ...TABLE.lrl) <= 175);
  });
});

describe('therapy parameters: command sequences (property)', () => {
  const anyValue = fc.oneof(
    fc.constantFrom(...Object.values(TABLE).flat()),
    fc.integer({ min: -200, max: 12000 }),
    fc.constantFrom(...ALL_MODES, 'VVD', 'Med', 'High', true, false, null, 1.5, 'x'),
  );
  const names = [...Object.keys(NOMINAL), 'bogus'];
  const changes = fc.dictionary(fc.constantFrom(...names), anyValue, { maxKeys: 4 });
  const command = fc.oneof(
    fc.record({ op: fc.constant('permanent' as const), changes }),
    fc.record({ op: fc.constant('temporary' as const), changes }),
    fc.record({ op: fc.constantFrom('end' as const, 'pace-now' as const, 'magnet-on' as const, 'magnet-off' as const, 'session-end' as const) }),
    fc.record({ op: fc.constant('battery' as const), level: fc.constantFrom('BOL' as const, 'ERN' as const, 'ERT' as const) }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
  );

  it('no accepted command sequence yields parameters outside the table or the limits', () => {
    fc.assert(fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
      const clock = new VirtualClock(0);
      const therapy = new Therapy(clock, { pace: () => {}, marker: () => {} });
      for (const c of commands) {
        const before = therapy.interrogate();
        if (c.op === 'permanent' || c.op === 'temporary') {
          const r = therapy.program(c.op, c.changes);
          if (!r.ok) {
            const after = therapy.interrogate();
            assert.deepEqual([after.permanent, after.temporary, after.state], [before.permanent, before.temporary, before.state]);
          }
        } else if (c.op === 'end') therapy.endTemporary();
        else if (c.op === 'pace-now') therapy.paceNow();
        else if (c.op === 'magnet-on' || c.op === 'magnet-off') therapy.setMagnet(c.op === 'magnet-on');
        else if (c.op === 'session-end') therapy.sessionEnded();
        else if (c.op === 'battery') therapy.setBattery(c.level);
        else if (c.op === 'wait') clock.advance(c.ms);
        const now = therapy.interrogate();
        assert.ok(PROGRAMMABLE_MODES.includes(now.permanent.mode), `temporary-only mode ${now.permanent.mode} in the permanent set`);
        for (const p of [now.permanent, now.temporary].filter((x): x is PacingParameters => x !== null)) {
          assert.ok(inTable(p), `outside the table: ${JSON.stringify(p)}`);
          assert.equal(checkLimits(p), null);
        }
      }
    }), { numRuns: 300 });
  });
});
