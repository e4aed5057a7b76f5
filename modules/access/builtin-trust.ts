// The manufacturer root built into the firmware (root slot 0; docs/access-control.md, "Keys").
// Written by `implant keygen --kind root --out PREFIX --trust-file modules/access/builtin-trust.ts`;
// keep the matching PREFIX.key.pem offline. Slot 1 and revocations change only by signed trust update.
import type { TrustConfig } from './trust-store.js';

export const BUILTIN_TRUST: TrustConfig = Object.freeze({
  roots: Object.freeze(['3f01c9b6def9d440cf276b5a573a5a6b40e7b757b1303d237a7185c83c5ccc9d']),
  revoked: Object.freeze([]),
});
