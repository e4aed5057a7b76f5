// Types of bundle-noble.mjs for TypeScript callers (tests).
import type { Metafile } from 'esbuild';

export const deviceEntry: string;
export function bundleNoble(): Promise<{ code: string; metafile: Metafile }>;
export function nobleTypes(): string;
