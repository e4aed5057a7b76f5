// Declarations the Moddable SDK 8.2 typings lack, for the device build only (mcconfig loads
// this file through the manifest's typescript.types). Each one follows the SDK's
// implementation, named per block; the host gets the same shapes from host/shims/.
// (The crypt, gcm and hmac gaps are filled next to their one user,
// modules/crypto/moddable-crypt.d.ts.)

// modules/pins/digital/digital.js has close(); the typings omit it.
declare module "pins/digital" {
  export interface Digital {
    close(): void;
  }
}

// modules/io/system/system.js is imported as "system"; the typings declare the same class
// under "embedded:io/system" only.
declare module "system" {
  import System from "embedded:io/system";
  export default System;
}
