// The command dispatcher contract. Each concern (access, therapy, update, ...) exports its
// commands as `CommandSpec`s from `modules/<concern>/commands.ts`; the device wires them all
// into one `CommandDispatcher`. A request is checked in order of cost before a handler runs:
//   envelope shape -> command known -> argument size -> authorization -> argument schema.
// Wire format (docs/protocol.md, "Commands"):
//   request  = [requestId: uint32, name: tstr, args: bstr .cbor {* tstr => any}]
//   response = [requestId: uint32, status: uint, result: any / null]
import { CborError, decodeCbor, encodeCbor } from '../core/cbor.js';
import type { CborValue } from '../core/cbor.js';
import { utf8Length, validateArgs } from './schema.js';
import type { Infer, StructSchema } from './schema.js';
import { Status } from './status.js';
import type { StatusCode } from './status.js';

/** Who is on the other end of a session, as established by the access layer during the handshake. */
export interface Principal {
  /** Role name defined by modules/access (e.g. 'clinician'); the dispatcher never interprets it. */
  readonly role: string;
  /** Key id of the certificate that authenticated the initiator. */
  readonly keyId: Uint8Array;
  /** The initiator's Noise static public key (X25519), bound to the certificate. */
  readonly staticKey: Uint8Array;
}

/** What a command handler and the authorization policy may know about the current session. */
export interface SessionView {
  /** Increments per session since boot; for logs and audit. */
  readonly id: number;
  readonly principal: Principal;
  /** Noise handshake hash h (rev 34 §5.2 GetHandshakeHash), for channel binding. */
  readonly handshakeHash: Uint8Array;
  /** The Noise pattern that established the session, e.g. 'IK' or 'XX'. */
  readonly pattern: string;
  /** Whether physical presence (magnet or button) holds right now. */
  physicalPresence(): boolean;
}

export interface CommandReply {
  readonly status: StatusCode;
  readonly result?: CborValue;
}

export interface CommandContext {
  readonly session: SessionView;
  readonly requestId: number;
}

export interface CommandSpec<S extends StructSchema = StructSchema> {
  /** Dotted lower-case name, concern first: 'therapy.get-params', 'ota.begin'. */
  readonly name: string;
  /** Schema of the argument map; handlers receive only values that satisfy it. */
  readonly args: S;
  /** Largest accepted encoded argument map, checked before the arguments are decoded. */
  readonly maxArgBytes: number;
  /** Runs the command. Throwing answers INTERNAL_ERROR; returning a promise is allowed. */
  handler(args: Infer<S>, ctx: CommandContext): CommandReply | Promise<CommandReply>;
}

/** Defines a command with its argument type inferred from the schema. */
export function defineCommand<S extends StructSchema>(spec: CommandSpec<S>): CommandSpec {
  return Object.freeze(spec) as unknown as CommandSpec;
}

export function ok(result?: CborValue): CommandReply {
  return result === undefined ? { status: Status.OK } : { status: Status.OK, result };
}

export function fail(status: StatusCode): CommandReply {
  return { status };
}

/** The access layer's say on each command (modules/access implements it). */
export interface CommandPolicy {
  /** Status.OK to run the command, otherwise the status to answer (DENIED, PRESENCE_REQUIRED, ...). */
  authorize(spec: CommandSpec, session: SessionView): StatusCode;
  /** Called once per request that named a known command, after it finished or was refused (for the audit log); required, so no wrapper can drop the audit. */
  completed(spec: CommandSpec, session: SessionView, requestId: number, status: StatusCode): void;
}

export interface DispatcherOptions {
  readonly commands: readonly CommandSpec[];
  readonly policy: CommandPolicy;
  /** Reports a handler exception (the response only says INTERNAL_ERROR), or the policy's `completed` throwing. */
  readonly onHandlerError?: (name: string, error: unknown) => void;
}

const MAX_REQUEST_ID = 0xffffffff;
const MAX_NAME_BYTES = 64;

/** Request fields after the envelope checks; `requestId` is 0 when the envelope is unreadable. */
interface Envelope {
  readonly requestId: number;
  readonly name: string;
  readonly args: Uint8Array;
}

export class CommandDispatcher {
  private readonly table: Map<string, CommandSpec>;
  private readonly policy: CommandPolicy;
  private readonly onHandlerError: (name: string, error: unknown) => void;

  constructor(options: DispatcherOptions) {
    this.table = new Map();
    for (const spec of options.commands) {
      if (this.table.has(spec.name)) throw new Error(`duplicate command ${spec.name}`);
      if (spec.args.kind !== 'struct') throw new Error(`command ${spec.name}: args must be a struct schema`);
      this.table.set(spec.name, spec);
    }
    this.policy = options.policy;
    this.onHandlerError = options.onHandlerError ?? (() => {});
  }

  /** Names of the registered commands, sorted. */
  names(): string[] {
    return [...this.table.keys()].sort();
  }

  /** The registered commands, sorted by name (for tools that generate requests from the schemas). */
  specs(): CommandSpec[] {
    return this.names().map((name) => this.table.get(name)!);
  }

  /**
   * Handles one decrypted request and returns the encoded response. Synchronous unless the
   * handler returns a promise. Never throws for any input bytes.
   */
  dispatch(request: Uint8Array, session: SessionView): Uint8Array | Promise<Uint8Array> {
    const envelope = parseEnvelope(request);
    if (typeof envelope === 'number') return encodeResponse(0, envelope);
    const { requestId } = envelope;
    const spec = this.table.get(envelope.name);
    if (!spec) return encodeResponse(requestId, Status.UNKNOWN_COMMAND);
    const finish = (reply: CommandReply): Uint8Array => {
      // The command has run: a failing audit write is reported, and the programmer still learns the outcome.
      try {
        this.policy.completed(spec, session, requestId, reply.status);
      } catch (error) {
        this.onHandlerError(`${spec.name} (completed)`, error);
      }
      return encodeResponse(requestId, reply.status, reply.result);
    };
    if (envelope.args.length > spec.maxArgBytes) return finish(fail(Status.ARGS_TOO_LARGE));
    const allowed = this.policy.authorize(spec, session);
    if (allowed !== Status.OK) return finish(fail(allowed));
    let decoded: CborValue;
    try {
      decoded = decodeCbor(envelope.args, { maxBytes: spec.maxArgBytes });
    } catch (error) {
      if (error instanceof CborError) return finish(fail(Status.INVALID_ARGS));
      throw error;
    }
    const args = validateArgs(spec.args, decoded);
    if (!args.ok) return finish(fail(Status.INVALID_ARGS));
    let reply: CommandReply | Promise<CommandReply>;
    try {
      reply = spec.handler(args.value, { session, requestId });
    } catch (error) {
      this.onHandlerError(spec.name, error);
      return finish(fail(Status.INTERNAL_ERROR));
    }
    if (!isPromise(reply)) return finish(checkedReply(reply));
    return reply.then(
      (r) => finish(checkedReply(r)),
      (error: unknown) => {
        this.onHandlerError(spec.name, error);
        return finish(fail(Status.INTERNAL_ERROR));
      },
    );
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown })?.then === 'function';
}

function checkedReply(reply: CommandReply): CommandReply {
  return reply && Number.isInteger(reply.status) && reply.status >= 0 ? reply : fail(Status.INTERNAL_ERROR);
}

function parseEnvelope(request: Uint8Array): Envelope | StatusCode {
  let value: CborValue;
  try {
    value = decodeCbor(request, { maxDepth: 2, maxItems: 3, maxBytes: request.length });
  } catch {
    return Status.BAD_REQUEST;
  }
  if (!Array.isArray(value) || value.length !== 3) return Status.BAD_REQUEST;
  const [requestId, name, args] = value;
  if (typeof requestId !== 'number' || requestId < 0 || requestId > MAX_REQUEST_ID) return Status.BAD_REQUEST;
  if (typeof name !== 'string' || name.length === 0 || utf8Length(name) > MAX_NAME_BYTES) return Status.BAD_REQUEST;
  if (!(args instanceof Uint8Array)) return Status.BAD_REQUEST;
  return { requestId, name, args };
}

/** Encodes a response; a result the encoder rejects becomes INTERNAL_ERROR with no result. */
export function encodeResponse(requestId: number, status: StatusCode, result?: CborValue): Uint8Array {
  try {
    return encodeCbor([requestId, status, result ?? null]);
  } catch {
    return encodeCbor([requestId, Status.INTERNAL_ERROR, null]);
  }
}

/** Encodes a request (the programmer's side of the same contract). */
export function encodeRequest(requestId: number, name: string, args: CborValue): Uint8Array {
  return encodeCbor([requestId, name, encodeCbor(args)]);
}
