// Small shared pieces of the screens: a message line and a button that runs an async action
// once at a time and shows its refusal in plain words.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

export type NoticeKind = 'info' | 'ok' | 'warn' | 'error';

export interface Notice {
  readonly kind: NoticeKind;
  readonly text: string;
}

export function NoticeLine({ notice, test }: { notice: Notice | undefined; test?: string }) {
  if (!notice) return null;
  return html`<p class=${`notice ${notice.kind}`} role=${notice.kind === 'error' ? 'alert' : 'status'} data-test=${test ?? 'notice'}>${notice.text}</p>`;
}

/** Runs `action` on click; while it runs the button is disabled; a failure lands in `onError`. */
export function ActionButton(props: { label: string; action: () => Promise<unknown>; onError: (text: string) => void; disabled?: boolean; kind?: string; test?: string }) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    setBusy(true);
    try {
      await props.action();
    } catch (error) {
      props.onError((error as Error).message ?? String(error));
    } finally {
      setBusy(false);
    }
  };
  return html`<button class=${props.kind ?? ''} disabled=${busy || props.disabled === true} onClick=${click} data-test=${props.test}>${busy ? '…' : props.label}</button>`;
}

export function field(value: unknown, name: string): unknown {
  return value instanceof Map ? value.get(name) : undefined;
}

/** CBOR maps (what the device answers) as plain objects, for display. */
export function plain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (Array.isArray(value)) return value.map(plain);
  return value;
}
