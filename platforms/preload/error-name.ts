// Keeps `this.name = "SomeError"` working in Error subclasses on Moddable runtimes.
// After the preload phase the XS linker freezes the built-in prototypes, so Error.prototype.name
// becomes a read-only inherited property and assigning `name` on an instance throws
// "set name: not writable" (Moddable documentation/xs/preload.md, "Modifying Built-in Objects
// Behavior"). Run at preload, before the freeze, this turns it into an accessor whose setter
// defines the instance's own property, as the assignment does on every other engine.
// Device builds only: preloaded through manifest.json; Node and xsnap need nothing.
Object.defineProperty(Error.prototype, 'name', {
  get(): string {
    return 'Error';
  },
  set(this: object, value: unknown) {
    Object.defineProperty(this, 'name', { value, writable: true, enumerable: true, configurable: true });
  },
  configurable: false,
});

export {};
