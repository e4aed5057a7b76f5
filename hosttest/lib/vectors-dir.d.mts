export function useVectorsDir(projectRoot: string): string;
