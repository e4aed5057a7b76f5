// Test worker for the worker shim: its module body throws, so `new Worker` must throw.
throw new Error('failed to initialise');
