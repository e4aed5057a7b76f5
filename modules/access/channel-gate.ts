// Access control as the secure channel's gate (modules/channel/hooks.ts ChannelGate):
//   connectable(), admitConnection()  radio level: lockout and energy bucket before any message
//   admit()            refuses XX outside pairing/presence/factory, then lockout and energy bucket
//   authenticatePeer() decides the role (authenticator.ts)
//   sessionEvent()     audits the channel's security events, then tells the observer (the
//                      composition root: console, therapy's temporary parameters)
// Only handshakes that were admitted (and so cost a DH) count toward the lockout or reach the
// audit log when they fail: garbage refused before admission costs neither flash nor battery.
import type { AdmissionRequest, ChannelEvent, ChannelGate, PeerClaim, PeerDecision } from '../channel/hooks.js';
import { Status } from '../channel/status.js';
import type { StatusCode } from '../channel/status.js';
import type { AccessControl } from './access-control.js';

export class AccessGate implements ChannelGate {
  /** Admitted handshakes not yet decided (the device serves one connection at a time). */
  private admitted = 0;

  constructor(
    private readonly access: AccessControl,
    private readonly observe: (event: ChannelEvent) => void = () => {},
  ) {}

  /** The radio's checks (modules/ble/device-gatt.ts): advertise only while a connection could be admitted. */
  connectable(): boolean {
    return this.access.admission.connectable();
  }

  admitConnection(): StatusCode {
    return this.access.authenticator.admitConnection();
  }

  admit(request: AdmissionRequest): StatusCode {
    const status = request.pattern === 'XX' && !this.access.xxAllowed()
      ? this.access.authenticator.refuse(Status.PATTERN_NOT_ALLOWED)
      : this.access.authenticator.admit();
    if (status === Status.OK) this.admitted++;
    return status;
  }

  authenticatePeer(claim: PeerClaim): PeerDecision {
    this.admitted = Math.max(0, this.admitted - 1);
    return this.access.authenticator.authenticate(claim);
  }

  sessionEvent(event: ChannelEvent): void {
    this.audit(event);
    this.observe(event);
  }

  private audit(event: ChannelEvent): void {
    const failedAfterAdmission = event.kind === 'handshake-failed' && this.admitted > 0;
    if (failedAfterAdmission) this.admitted--;
    if (!failedAfterAdmission && event.kind !== 'auth-failure' && event.kind !== 'replay-rejected' && event.kind !== 'session-opened') return;
    const p = event.principal;
    this.access.deps.audit.append({
      type: `channel.${event.kind}`,
      role: p?.role ?? 'none',
      keyId: p?.keyId,
      outcome: event.status ?? Status.OK,
    });
    if (failedAfterAdmission) this.access.authenticator.recordFailure();
  }
}
