// Which parameters apply to which mode (PACEMAKER spec Table 6). The stored text of Table 6 lost
// its column alignment, so the rows below follow the spec's definitions of each parameter (§5)
// and the DCM encoding of the basic modes (docs/therapy.md, "Parameters by mode"). A parameter
// that does not apply has no effect: the engine runs each cycle on `effectiveParameters`, which
// puts every feature switch that does not apply to the cycle's mode in its neutral state.
import {
  inhibits, lettersOf, pacesAtrium, pacesVentricle, sensesAtrium, sensesVentricle, tracks,
} from './modes.js';
import type { ModeLetters } from './modes.js';
import type { PacingParameters, ParameterName } from './params.js';

type Rule = (l: ModeLetters, p: Readonly<PacingParameters>) => boolean;

const isPacing = (l: ModeLetters): boolean => l.paced !== 'O';
const pacing: Rule = isPacing;
const atrialPacing: Rule = (l) => pacesAtrium(l);
const ventricularPacing: Rule = (l) => pacesVentricle(l);
/** Modes with an AV delay: both chambers paced, or atrial tracking (VDD). */
const avDelay: Rule = (l) => l.paced === 'D' || tracks(l);
const tracking: Rule = (l) => tracks(l);
/** The sensor runs in R modes, and in tracking modes with ATR on, whose fallback is VVIR (§5.6.3). */
const sensor: Rule = (l, p) => l.rateAdaptive || (tracks(l) && p.atrMode);
/** Hysteresis and rate smoothing: inhibiting and tracking modes that pace (§5.8, §5.9). */
const inhibitingPacing: Rule = (l) => isPacing(l) && inhibits(l);
/** A refractory period only matters where its sense could restart or track timing. */
const ventricularRefractory: Rule = (l) => isPacing(l) && sensesVentricle(l) && l.response !== 'O';
const atrialRefractory: Rule = (l) => l.paced === 'A' && sensesAtrium(l) && l.response !== 'O';
const postVentricular: Rule = (l) => sensesAtrium(l) && pacesVentricle(l) && l.response !== 'O';
/** Blanking and safety pacing after an atrial pace exist where the ventricle is also sensed. */
const crossChamber: Rule = (l) => pacesAtrium(l) && sensesVentricle(l) && l.response !== 'O';

/** Table 6 as built: for each parameter, the modes (as letters) it applies to. */
export const APPLIES: Readonly<Record<Exclude<ParameterName, 'mode'>, Rule>> = Object.freeze({
  lrl: pacing,
  url: pacing,
  msr: sensor,
  avDelay,
  dynamicAv: avDelay,
  minDynamicAv: (l, p) => avDelay(l, p) && p.dynamicAv,
  sensedAvOffset: tracking,
  aAmplitude: atrialPacing,
  vAmplitude: ventricularPacing,
  aPulseWidth: atrialPacing,
  vPulseWidth: ventricularPacing,
  aSensitivity: (l) => sensesAtrium(l),
  vSensitivity: (l) => sensesVentricle(l),
  vrp: ventricularRefractory,
  arp: atrialRefractory,
  pvarp: postVentricular,
  pvarpExtension: postVentricular,
  hysteresis: inhibitingPacing,
  rateSmoothingUp: inhibitingPacing,
  rateSmoothingDown: inhibitingPacing,
  atrMode: tracking,
  atrDuration: (l, p) => tracks(l) && p.atrMode,
  atrFallback: (l, p) => tracks(l) && p.atrMode,
  vBlanking: crossChamber,
  activityThreshold: sensor,
  reactionTime: sensor,
  responseFactor: sensor,
  recoveryTime: sensor,
  magnetResponse: (_l, p) => p.mode !== 'Off',
  pmtProtection: tracking,
  ventricularSafetyPacing: crossChamber,
});

export function applies(name: ParameterName, p: Readonly<PacingParameters>): boolean {
  return name === 'mode' || APPLIES[name](lettersOf(p.mode), p);
}

/** The parameters named in `changes` that have no effect in the mode of the resulting set `p`. */
export function ignoredParameters(changes: Readonly<Record<string, unknown>>, p: Readonly<PacingParameters>): string[] {
  return Object.keys(changes).filter((name) => name !== 'mode' && !APPLIES[name as Exclude<ParameterName, 'mode'>](lettersOf(p.mode), p));
}

/**
 * The set one cycle runs on in the mode `letters` (which may be an overlay: magnet, ATR fallback):
 * every feature that does not apply to that mode is off. Values that only a feature of other
 * modes reads (an AV delay in VVI) need no neutral value: nothing in that mode reads them.
 */
export function effectiveParameters(p: Readonly<PacingParameters>, letters: ModeLetters): Readonly<PacingParameters> {
  const on = (name: Exclude<ParameterName, 'mode'>): boolean => APPLIES[name](letters, p);
  const effective: Partial<PacingParameters> = {
    dynamicAv: p.dynamicAv && on('dynamicAv'),
    sensedAvOffset: on('sensedAvOffset') ? p.sensedAvOffset : 0,
    pvarpExtension: on('pvarpExtension') ? p.pvarpExtension : 0,
    hysteresis: on('hysteresis') ? p.hysteresis : 0,
    rateSmoothingUp: on('rateSmoothingUp') ? p.rateSmoothingUp : 0,
    rateSmoothingDown: on('rateSmoothingDown') ? p.rateSmoothingDown : 0,
    atrMode: p.atrMode && on('atrMode'),
    pmtProtection: p.pmtProtection && on('pmtProtection'),
    ventricularSafetyPacing: p.ventricularSafetyPacing && on('ventricularSafetyPacing'),
    magnetResponse: p.magnetResponse && on('magnetResponse'),
  };
  // Most sets already have every non-applicable feature off: then the set itself (no copy in the heap).
  for (const name of Object.keys(effective) as (keyof PacingParameters)[]) {
    if (effective[name] !== p[name]) return { ...p, ...effective };
  }
  return p;
}
