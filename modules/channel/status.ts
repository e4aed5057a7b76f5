// Status codes carried in every command response and in handshake rejections. The numbers are
// part of the wire protocol (docs/protocol.md, "Status codes"): never renumber, only append.
// Ranges: 0-31 channel and dispatcher (this file), 32-63 access control, 64-95 therapy,
// 96-127 update/bootloader. Each concern defines its own range in its own module; the registry
// (modules/status/registry.ts) holds the ranges and names every code.

export const Status = Object.freeze({
  OK: 0,
  /** The request envelope is not a valid CBOR [id, name, args] triple. */
  BAD_REQUEST: 1,
  UNKNOWN_COMMAND: 2,
  /** Arguments do not match the command's schema (type, range, length, unknown or missing field). */
  INVALID_ARGS: 3,
  /** Encoded arguments exceed the command's maxArgBytes (checked before decoding them). */
  ARGS_TOO_LARGE: 4,
  /** The authenticated role may not run this command. */
  DENIED: 5,
  /** The command needs physical presence (magnet or button) and it is not established. */
  PRESENCE_REQUIRED: 6,
  /** Too many requests or handshakes; try again later. */
  RATE_LIMITED: 7,
  /** The command is valid but not in the current device state (e.g. OTA data before OTA begin). */
  INVALID_STATE: 8,
  /** Another operation holds the resource. */
  BUSY: 9,
  /** The handler failed unexpectedly; nothing was changed that the handler did not commit. */
  INTERNAL_ERROR: 10,
  /** Handshake: the initiator's static key or certificate is not accepted. */
  UNKNOWN_PEER: 11,
  /** Handshake: this pattern is not offered now (e.g. XX outside the pairing window). */
  PATTERN_NOT_ALLOWED: 12,
  /** A handshake or transport message failed authentication or was malformed; the session ended. */
  AUTH_FAILED: 13,
  /** A message of a type or at a time the protocol does not allow (e.g. transport before the handshake). */
  UNEXPECTED_MESSAGE: 14,
  /** The fragments did not form a valid message (oversize, out of order, unknown type, malformed). */
  FRAMING_ERROR: 15,
  /** The handshake did not finish in time, or the session was idle too long. */
  TIMEOUT: 16,
  /** The HELLO named a protocol this device does not offer. */
  UNSUPPORTED_PROTOCOL: 17,
  /** Too many refused frames in one session. */
  TOO_MANY_ERRORS: 18,
});

export type StatusCode = number;
