// The real machine behind FlashHost: environment, file system and child processes.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve as resolvePath } from 'node:path';
import type { FlashHost } from './flash-cli.js';

const TOOLS_OS: Readonly<Record<string, string>> = Object.freeze({ linux: 'lin', darwin: 'mac', win32: 'win' });

function kind(path: string): 'file' | 'directory' | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A host rooted at the repository. The repository's node_modules/.bin goes first on PATH, as
 * under `npm run`, so mcconfig finds the pinned TypeScript even when run with plain node.
 */
export function nodeFlashHost(root: string): FlashHost {
  const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter) };
  const which = (command: string): string | undefined => {
    for (const dir of env.PATH.split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, command);
      try {
        accessSync(candidate, constants.X_OK);
        if (kind(candidate) === 'file') return candidate;
      } catch {
        // not here; keep looking
      }
    }
    return undefined;
  };
  return {
    root,
    env,
    toolsDir: `build/bin/${TOOLS_OS[process.platform] ?? process.platform}/release`,
    isFile: (path) => kind(path) === 'file',
    isDirectory: (path) => kind(path) === 'directory',
    which,
    firstLine(command, args) {
      const result = spawnSync(command, args, { env, encoding: 'utf8' });
      return result.status === 0 ? result.stdout.split('\n')[0].trim() : undefined;
    },
    makeDirectory: (path) => mkdirSync(resolvePath(root, path), { recursive: true }),
    run(command, args) {
      return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
        child.on('error', () => resolve(127));
        child.on('close', (code) => resolve(code ?? 1));
      });
    },
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}
