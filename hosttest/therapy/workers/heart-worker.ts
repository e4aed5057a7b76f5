// The therapy worker as the device runs it, with a virtual heart in place of the sense and pace
// pins: the heart and the engine share the worker thread's real-time clock, so the main thread
// can be kept busy while the markers show whether therapy kept its timing.
import { hostTime } from '../../../host/shims/host-control.js';
import { TherapyService } from '../../../modules/therapy/service.js';
import { VirtualHeart } from '../../../host/heart/heart.js';
import { loadScenario } from '../../../host/heart/closed-loop.js';

const clock = hostTime().clock;
const heart = new VirtualHeart(loadScenario('normal-sinus'), clock, 1);
const service = new TherapyService(clock, { pace: (chamber) => heart.pace(chamber) }, (m) => self.postMessage(m));
heart.start((chamber) => service.therapy.sense(chamber));
self.onmessage = (message) => service.handle(message);
