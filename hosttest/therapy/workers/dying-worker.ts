// A therapy worker whose machine dies: it answers and beats like the real one, then an
// exception escapes its code after the delay the first message gives (an XS abort on the device).
import { hostTime } from '../../../host/shims/host-control.js';
import { TherapyService } from '../../../modules/therapy/service.js';

const clock = hostTime().clock;
const service = new TherapyService(clock, { pace: () => {} }, (m) => self.postMessage(m));
self.onmessage = (message: { op?: string; afterMs?: number }) => {
  if (message.op === 'die') {
    clock.setTimeout(() => {
      throw new Error('therapy machine fault');
    }, message.afterMs ?? 0);
    return;
  }
  service.handle(message);
};
