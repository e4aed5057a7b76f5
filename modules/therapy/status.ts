// Therapy status codes, in the range 64-95 that modules/channel/status.ts reserves for this
// concern. Part of the wire protocol (docs/therapy.md, "Commands"): never renumber, only append.

export const TherapyStatus = Object.freeze({
  /** A value is not on the Table 7 grid; the result names the parameter. */
  PARAMETER_RANGE: 64,
  /** Values on the grid that violate an interactive limit; the result names the parameter. */
  PARAMETER_CONFLICT: 65,
  UNKNOWN_PARAMETER: 66,
  /** Safe mode is latched: only clearing it (a clinician) is accepted. */
  SAFE_MODE: 67,
  /** Not allowed at the present battery status (ERT/ERP: single-chamber, non-rate-adaptive only; no temporary). */
  BATTERY: 68,
  /** Stored parameters failed their checksum. */
  INTEGRITY: 69,
  /** Not in the present operating state (e.g. ending temporary operation that is not running). */
  THERAPY_STATE: 70,
  /** The therapy machine did not answer or has been replaced by the backup pacer. */
  THERAPY_UNAVAILABLE: 71,
  /** The therapy machine rejected the message itself (never expected from validated commands). */
  BAD_MESSAGE: 72,
  /** A patient action outside the range the clinician allows, or with no range set (modules/therapy-control/patient-range.ts). */
  OUT_OF_PATIENT_RANGE: 73,
});
