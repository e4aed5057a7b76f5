// The therapy machine's entry on the device: `new Worker("modules/therapy/device-worker", ...)`
// runs this module in its own XS machine. Therapy starts at once in POR (first pace within one
// LRI), then answers the main machine's requests; it touches no radio, crypto or flash.
import Config from 'mc/config';
import { TimerClock } from '../platform/timer-clock.js';
import { DeviceIO } from './device-io.js';
import { pinsFromConfig } from './pin-maps.js';
import { TherapyService } from './service.js';

const clock = new TimerClock();
let service: TherapyService | undefined;
const io = new DeviceIO(pinsFromConfig(Config), {
  sense: (chamber) => service?.therapy.sense(chamber),
  magnet: (present) => service?.therapy.setMagnet(present),
  battery: (level) => service?.therapy.setBattery(level),
  activity: (level) => service?.therapy.setActivity(level),
}, clock);
service = new TherapyService(clock, { paceTimer: io.paceTimer }, (message) => self.postMessage(message));
self.onmessage = (message) => service.handle(message);
