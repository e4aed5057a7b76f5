// Types of run.mjs for TypeScript callers (tests).
export const DEVICE_WINDOW: number;
export function bundleCaseFile(file: string, window: number): Promise<string>;
export function measureXS(script: string, name: string): Promise<{ computrons: number; firstCall: number; slots: number; nsPerOp: number }>;
