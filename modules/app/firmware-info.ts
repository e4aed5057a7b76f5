// What this firmware calls itself on the console and in the device-information characteristic
// (the same on every unit of a model: nothing here identifies a patient or a device).
export const FIRMWARE = Object.freeze({ model: 'IMPLANT-DEV', version: '0.1.0' });
