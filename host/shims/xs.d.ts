// Globals the XS engine provides and the firmware uses, for the host type-check (the device build
// gets them from the SDK's xs/includes/xs.d.ts and typings/global.d.ts). Installed on Node by
// host/shims/xs-globals.ts (trace) and host/shims/system.ts (System).

/** Writes the values to the debug console (xsbug, serial or stdout), with no newline added. */
declare function trace(...values: (string | number | boolean)[]): void;

/** Installed by importing "system". */
declare var System: typeof import('./system.js').default;
