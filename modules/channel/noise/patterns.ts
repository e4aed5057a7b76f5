// Handshake patterns of Noise rev 34: one-way (§7.4), fundamental interactive (§7.5) and
// deferred (§18.2), with the pskN modifiers (§9.3). A pattern is written as in the spec:
// pre-message lines, "...", then one line per message; "->" is sent by the initiator.
import { isDecimalText } from '../../core/bytes.js';
import { NoiseError } from './errors.js';

export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss' | 'psk';

export interface HandshakePattern {
  readonly name: string;
  /** Pre-message keys: which side's key, in the order they are hashed. */
  readonly preMessages: readonly { readonly initiator: boolean; readonly token: 'e' | 's' }[];
  /** Tokens of each message; message i is sent by the initiator when i is even. */
  readonly messages: readonly (readonly Token[])[];
  readonly oneWay: boolean;
  readonly psk: boolean;
}

const PATTERNS = Object.freeze({
  N: '<- s\n...\n-> e, es',
  K: '-> s\n<- s\n...\n-> e, es, ss',
  X: '<- s\n...\n-> e, es, s, ss',
  NN: '-> e\n<- e, ee',
  NK: '<- s\n...\n-> e, es\n<- e, ee',
  NX: '-> e\n<- e, ee, s, es',
  XN: '-> e\n<- e, ee\n-> s, se',
  XK: '<- s\n...\n-> e, es\n<- e, ee\n-> s, se',
  XX: '-> e\n<- e, ee, s, es\n-> s, se',
  KN: '-> s\n...\n-> e\n<- e, ee, se',
  KK: '-> s\n<- s\n...\n-> e, es, ss\n<- e, ee, se',
  KX: '-> s\n...\n-> e\n<- e, ee, se, s, es',
  IN: '-> e, s\n<- e, ee, se',
  IK: '<- s\n...\n-> e, es, s, ss\n<- e, ee, se',
  IX: '-> e, s\n<- e, ee, se, s, es',
  NK1: '<- s\n...\n-> e\n<- e, ee, es',
  NX1: '-> e\n<- e, ee, s\n-> es',
  X1N: '-> e\n<- e, ee\n-> s\n<- se',
  X1K: '<- s\n...\n-> e, es\n<- e, ee\n-> s\n<- se',
  XK1: '<- s\n...\n-> e\n<- e, ee, es\n-> s, se',
  X1K1: '<- s\n...\n-> e\n<- e, ee, es\n-> s\n<- se',
  X1X: '-> e\n<- e, ee, s, es\n-> s\n<- se',
  XX1: '-> e\n<- e, ee, s\n-> es, s, se',
  X1X1: '-> e\n<- e, ee, s\n-> es, s\n<- se',
  K1N: '-> s\n...\n-> e\n<- e, ee\n-> se',
  K1K: '-> s\n<- s\n...\n-> e, es\n<- e, ee\n-> se',
  KK1: '-> s\n<- s\n...\n-> e\n<- e, ee, se, es',
  K1K1: '-> s\n<- s\n...\n-> e\n<- e, ee, es\n-> se',
  K1X: '-> s\n...\n-> e\n<- e, ee, s, es\n-> se',
  KX1: '-> s\n...\n-> e\n<- e, ee, se, s\n-> es',
  K1X1: '-> s\n...\n-> e\n<- e, ee, s\n-> se, es',
  I1N: '-> e, s\n<- e, ee\n-> se',
  I1K: '<- s\n...\n-> e, es, s\n<- e, ee\n-> se',
  IK1: '<- s\n...\n-> e, s\n<- e, ee, se, es',
  I1K1: '<- s\n...\n-> e, s\n<- e, ee, es\n-> se',
  I1X: '-> e, s\n<- e, ee, s, es\n-> se',
  IX1: '-> e, s\n<- e, ee, se, s\n-> es',
  I1X1: '-> e, s\n<- e, ee, s\n-> se, es',
});

export type BasePatternName = keyof typeof PATTERNS;

function tokens(line: string): Token[] {
  return line.slice(3).split(',').map((t) => t.trim() as Token);
}

function isPskModifier(text: string): boolean {
  return text.startsWith('psk') && isDecimalText(text.slice(3), 1);
}

/** Parses a pattern name such as 'IK', 'XXpsk3' or 'NNpsk0+psk2'; throws NoiseError('unsupported'). */
export function handshakePattern(name: string): HandshakePattern {
  // §8.1: the base pattern's capitals and digits, then modifiers "psk0+psk2..." (the only ones supported).
  const at = name.indexOf('psk');
  const base = at < 0 ? name : name.slice(0, at);
  const modifiers = at < 0 ? [] : name.slice(at).split('+');
  if (!Object.prototype.hasOwnProperty.call(PATTERNS, base) || !modifiers.every(isPskModifier)) throw new NoiseError('unsupported', `pattern ${name}`);
  const lines = PATTERNS[base as BasePatternName].split('\n');
  const split = lines.indexOf('...');
  const preMessages = (split < 0 ? [] : lines.slice(0, split)).flatMap((line) =>
    tokens(line).map((token) => ({ initiator: line.startsWith('->'), token: token as 'e' | 's' })),
  );
  const messages = lines.slice(split + 1).map(tokens);
  const psks = modifiers.map((m) => Number(m.slice(3)));
  for (const n of psks) {
    // §9.3: psk0 goes at the start of the first message, pskN at the end of message N.
    if (n > messages.length) throw new NoiseError('unsupported', `modifier psk${n} for ${base}`);
    if (n === 0) messages[0].unshift('psk');
    else messages[n - 1].push('psk');
  }
  return Object.freeze({ name, preMessages, messages, oneWay: base.length === 1, psk: psks.length > 0 });
}
