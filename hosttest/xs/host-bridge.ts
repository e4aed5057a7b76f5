// The XS side of the host bridge: requests to the Node runner travel as JSON over xsnap's
// `issueCommand` (a blocking call answered by hosttest/xs/run-portable.mjs or bench/run.mjs).
declare const issueCommand: (request: ArrayBuffer) => ArrayBuffer;

export type HostRequest =
  | { op: 'readText'; path: string }
  | { op: 'env'; name: string }
  | { op: 'log'; line: string }
  | { op: 'result'; status: 'pass' | 'fail'; title: string; error?: string };

export function askHost<T>(request: HostRequest): T {
  const reply = issueCommand(new TextEncoder().encode(JSON.stringify(request)).buffer as ArrayBuffer);
  const answer = JSON.parse(new TextDecoder().decode(reply)) as T & { hostError?: string };
  if (answer.hostError !== undefined) throw new Error(answer.hostError);
  return answer;
}
