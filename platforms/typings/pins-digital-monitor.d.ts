// Replaces the SDK 8.2 typings of "pins/digital/monitor" (typings/pins/digital/monitor.d.ts,
// which manifest_typings.json does not map), written from modules/pins/digital/monitor/
// monitor.js: the edge constants are statics, and onChanged is a callback property the native
// code calls on each edge, not a method taking a callback.
declare module "pins/digital/monitor" {
  export interface MonitorOptions {
    pin: number;
    /** An input mode of pins/digital (Input, InputPullUp, InputPullDown, InputPullUpDown). */
    mode: number;
    /** Monitor.Rising, Monitor.Falling or both (3). */
    edge: number;
    port?: string;
  }

  export default class Monitor {
    constructor(options: MonitorOptions);
    static readonly Rising: 1;
    static readonly Falling: 2;
    /** Called asynchronously after an edge; read() the pin for its level. */
    onChanged: (() => void) | undefined;
    read(): number;
    close(): void;
    readonly rises: number;
    readonly falls: number;
  }
}
