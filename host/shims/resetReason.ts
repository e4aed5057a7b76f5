// Host shim of the esp32-only Moddable "resetReason" module (build/devices/esp32/modules/
// resetReason; it has no SDK typings): esp_reset_reason() as a number and its name. The code
// comes from host-control setResetReason(). Under the nrf52 profile calling it throws, where the
// SDK refuses to build ("resetReason is not supported on this platform").
import { hostPlatform, resetReasonCode } from './host-control.js';

export interface ResetReason {
  reason: number;
  string: string;
}

const REASONS = Object.freeze(['Unknown', 'Power-On', 'External Pin', 'Software', 'Panic', 'Interrupt WDT', 'Task WDT', 'Other WDT', 'Deep Sleep', 'Brownout', 'SDIO']);

export default function getResetReason(): ResetReason {
  if (hostPlatform() !== 'esp32') throw new Error('resetReason is not supported on this platform');
  const reason = resetReasonCode();
  return { reason, string: REASONS[reason] ?? 'Invalid' };
}
