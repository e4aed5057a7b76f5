// Types of bundle.mjs for TypeScript callers (tests).
export const projectRoot: string;
export interface XSBundle {
  script: string;
  sourceMap: import('node:module').SourceMap;
}
export function bundleForXS(imports: string[], options?: { globalName?: string }): Promise<XSBundle>;
export function bundleEntryForXS(contents: string, options?: { globalName?: string }): Promise<XSBundle>;
export function mapStack(text: string, sourceMap: import('node:module').SourceMap): string;
