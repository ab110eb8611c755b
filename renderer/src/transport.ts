// The renderer reaches the backend only through a Transport: the preload's bridge in Electron,
// or HTTP + Server-Sent Events in browser mode (the session cookie carries the token).
import type { EventMessage, Input, Method, Output, Result, Transport } from '../../shared/api/contract';

declare global {
  interface Window {
    ownerscope?: Transport;
  }
}

function httpTransport(): Transport {
  const listeners = new Set<(m: EventMessage) => void>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource('/api/events');
    source.onmessage = (e) => {
      const m = JSON.parse(e.data as string) as EventMessage;
      for (const l of listeners) l(m);
    };
  };
  return {
    async call<K extends Method>(method: K, input: Input<K>): Promise<Result<Output<K>>> {
      const res = await fetch('/api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ method, input }),
      });
      if (!res.ok) return { ok: false, error: { code: res.status === 401 ? 'unauthorized' : 'internal', message: await res.text() } };
      return (await res.json()) as Result<Output<K>>;
    },
    onEvent(listener) {
      if (!source) connect();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const transport: Transport = window.ownerscope ?? httpTransport();
export const isDesktop = Boolean(window.ownerscope);
