// Firmware entry point (Moddable runs this module at start-up).
trace('implant: boot\n');
