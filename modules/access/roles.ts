// The four roles (docs/access-control.md, "Roles") and how a session earns each one.
//   patient       a phone bonded inside a pairing window (its Noise static key is pinned)
//   clinician     a programmer with a clinician certificate from a manufacturer root
//   manufacturer  a programmer with a manufacturer certificate (updates, keys, factory)
//   emergency     anyone at the device without credentials, after an unbroken 15 s hold (emergency.ts)
// 'device' is a certificate role only: it names the implant's own identity, never a session.

export const ROLES = Object.freeze(['patient', 'clinician', 'manufacturer', 'emergency'] as const);
export type Role = (typeof ROLES)[number];

/** Roles a certificate may carry. */
export const CERT_ROLES = Object.freeze(['clinician', 'manufacturer', 'device'] as const);
export type CertRole = (typeof CERT_ROLES)[number];

/** Roles a certificate can give to a programmer session. */
export const SESSION_CERT_ROLES = Object.freeze(['clinician', 'manufacturer'] as const);

export function isCertRole(value: unknown): value is CertRole {
  return typeof value === 'string' && (CERT_ROLES as readonly string[]).includes(value);
}
