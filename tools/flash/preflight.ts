// Checks run before mcconfig, so that a missing SDK or tool is reported in one clear line with
// its fix instead of somewhere deep in a make log. Pure: everything it learns about the
// machine comes through the Probe, so tests run it against a fake environment.
import { platformSpec } from './targets.js';
import type { Target } from './targets.js';

/** mcconfig emits `target: "es2025"`, which TypeScript accepts from version 6 on. */
export const MIN_TSC_MAJOR = 6;

export interface Probe {
  env: Readonly<Record<string, string | undefined>>;
  /** Folder of Moddable's host tools for this OS, relative to $MODDABLE (build/bin/lin/release). */
  toolsDir: string;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Absolute path of an executable found on env.PATH, or undefined. */
  which(command: string): string | undefined;
  /** First line a command prints to stdout, or undefined when it cannot run. */
  firstLine(command: string, args: string[]): string | undefined;
}

export interface Problem {
  /** What was checked, e.g. "MODDABLE". */
  check: string;
  message: string;
  fix: string;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

function checkModdable(probe: Probe): Problem[] {
  const root = probe.env.MODDABLE;
  const fix = 'clone the Moddable SDK, build its tools (build/makefiles/<os>, make) and export MODDABLE=<absolute path>';
  if (!root) return [{ check: 'MODDABLE', message: 'MODDABLE is not set', fix }];
  if (!isAbsolute(root)) return [{ check: 'MODDABLE', message: `MODDABLE must be an absolute path, got "${root}"`, fix }];
  if (!probe.isFile(`${root}/examples/manifest_base.json`) || !probe.isDirectory(`${root}/build/devices`)) {
    return [{ check: 'MODDABLE', message: `MODDABLE=${root} is not a Moddable SDK checkout`, fix }];
  }
  return [];
}

function checkMcconfig(probe: Probe): Problem[] {
  if (probe.which('mcconfig')) return [];
  const dir = probe.env.MODDABLE ? `${probe.env.MODDABLE}/${probe.toolsDir}` : `$MODDABLE/${probe.toolsDir}`;
  return [{
    check: 'mcconfig',
    message: 'mcconfig is not on PATH',
    fix: `build the SDK tools, then export PATH=${dir}:$PATH`,
  }];
}

/** Parses "Version 6.0.3" as printed by `tsc --version`. */
export function tscMajor(versionLine: string | undefined): number | undefined {
  const match = /Version (\d+)\./.exec(versionLine ?? '');
  return match ? Number(match[1]) : undefined;
}

function checkTsc(probe: Probe): Problem[] {
  const fix = `npm ci in this repository (npm run puts node_modules/.bin on PATH) or npm i -g typescript@${MIN_TSC_MAJOR}`;
  const tsc = probe.which('tsc');
  if (!tsc) return [{ check: 'tsc', message: 'tsc is not on PATH (mcconfig compiles TypeScript with it)', fix }];
  const line = probe.firstLine(tsc, ['--version']);
  const major = tscMajor(line);
  if (major === undefined) return [{ check: 'tsc', message: `cannot read the version of ${tsc} (printed "${line ?? ''}")`, fix }];
  if (major < MIN_TSC_MAJOR) {
    return [{ check: 'tsc', message: `${tsc} is ${line}; mcconfig needs TypeScript ${MIN_TSC_MAJOR} or later`, fix }];
  }
  return [];
}

function checkBoard(target: Target, probe: Probe): Problem[] {
  const root = probe.env.MODDABLE;
  if (target.board === undefined || !root) return [];
  if (probe.isDirectory(`${root}/build/devices/${target.platform}/targets/${target.board}`)) return [];
  return [{
    check: 'board',
    message: `${platformSpec(target)} is not a Moddable sub-platform`,
    fix: `pick a folder of $MODDABLE/build/devices/${target.platform}/targets`,
  }];
}

function checkEspIdf(probe: Probe): Problem[] {
  const idf = probe.env.IDF_PATH;
  const fix = 'install ESP-IDF v6.0 as documentation/devices/esp32.md describes, export IDF_PATH and run . $IDF_PATH/export.sh';
  if (!idf) return [{ check: 'IDF_PATH', message: 'IDF_PATH is not set (esp32 builds need ESP-IDF)', fix }];
  if (!probe.isFile(`${idf}/export.sh`)) return [{ check: 'IDF_PATH', message: `IDF_PATH=${idf} is not an ESP-IDF checkout (no export.sh)`, fix }];
  return [];
}

function checkNrfSdk(probe: Probe): Problem[] {
  const sdk = probe.env.NRF_SDK_DIR;
  const fix = "install Moddable's modified nRF5 SDK 17 and the Arm GNU toolchain as documentation/devices/nrf52.md describes, then export NRF_SDK_DIR";
  if (!sdk) return [{ check: 'NRF_SDK_DIR', message: 'NRF_SDK_DIR is not set (nrf52 builds need the nRF5 SDK)', fix }];
  if (!probe.isDirectory(sdk)) return [{ check: 'NRF_SDK_DIR', message: `NRF_SDK_DIR=${sdk} does not exist`, fix }];
  // Moddable's build stops with "Please add moddable_four.h" on Nordic's unmodified SDK.
  if (!probe.isFile(`${sdk}/components/boards/moddable_four.h`)) {
    return [{ check: 'NRF_SDK_DIR', message: `NRF_SDK_DIR=${sdk} is not Moddable's modified nRF5 SDK (components/boards/moddable_four.h missing)`, fix }];
  }
  return [];
}

/** Every problem found, in the order a newcomer should fix them; empty when ready to build. */
export function preflight(target: Target, probe: Probe): Problem[] {
  const problems = [...checkModdable(probe), ...checkMcconfig(probe), ...checkTsc(probe)];
  if (problems.every((p) => p.check !== 'MODDABLE')) problems.push(...checkBoard(target, probe));
  if (target.platform !== 'lin') {
    problems.push(...(target.platform === 'esp32' ? checkEspIdf(probe) : checkNrfSdk(probe)));
  }
  return problems;
}
