// Every fuzz target, by the interface it attacks (docs/fuzzing.md). A weight is the share of a
// `--cases` budget a property gets: roughly the inverse of its cost per case, so that a run of a
// million cases spends comparable time on each property.
import { channelFuzzProperties } from './channel-properties.js';
import type { FuzzProperty } from './channel-properties.js';
import { firmwareProperties } from './properties/firmware.js';
import { signedObjectProperties } from './properties/signed-objects.js';
import { signedPayloadProperties } from './properties/signed-payloads.js';
import { structureProperties } from './properties/structures.js';
import { storedRecordProperties } from './properties/stored-records.js';
import { therapyMessageProperties } from './properties/therapy-messages.js';

export interface WeightedProperty extends FuzzProperty {
  readonly weight: number;
}

const weighted = (weight: number, properties: readonly FuzzProperty[]): WeightedProperty[] =>
  properties.map((p) => ({ ...p, weight }));

export const FUZZ_TARGETS: Readonly<Record<string, readonly WeightedProperty[]>> = Object.freeze({
  /** CBOR, framing, the command envelope, the responder before a session, the transport. */
  channel: weighted(10, channelFuzzProperties),
  /** COSE_Sign1 element by element; fragment streams with time passing. */
  structure: weighted(6, structureProperties),
  /** Certificates, trust updates, update manifests and packages. */
  signed: weighted(4, signedObjectProperties),
  /** The claims behind a valid signature: certificates, trust updates, manifests. */
  'signed-payload': weighted(1, signedPayloadProperties),
  /** Messages between the two XS machines, both ways. */
  therapy: weighted(2, therapyMessageProperties),
  /** A damaged flash image at boot. */
  storage: weighted(1, storedRecordProperties),
  /** The assembled firmware over the BLE shim: GATT writes before a session, commands in one. */
  firmware: weighted(1, firmwareProperties),
});
