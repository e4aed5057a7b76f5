// Registers the TypeScript loader so Node runs the firmware's .ts sources directly, with
// Moddable specifiers ("timer", "flash", ...) served by host/shims/.
import { register } from 'node:module';
register('./loader.mjs', import.meta.url);
