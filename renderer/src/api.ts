import type { ApiError, EventMessage, EventName, Events, Input, Method, Output } from '../../shared/api/contract';
import { transport } from './transport';

export class CallError extends Error {
  readonly code: ApiError['code'];
  readonly field: string | undefined;
  constructor(e: ApiError) {
    super(e.message);
    this.code = e.code;
    this.field = e.field;
  }
}

export async function call<K extends Method>(method: K, input: Input<K>): Promise<Output<K>> {
  const r = await transport.call(method, input);
  if (!r.ok) throw new CallError(r.error);
  return r.value;
}

export function onEvent<K extends EventName>(name: K, listener: (data: Events[K]) => void): () => void {
  return transport.onEvent((m: EventMessage) => {
    if (m.event === name) listener(m.data as Events[K]);
  });
}

const CHUNK = 3 * 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Copies a file the user picked or dropped to the backend; returns its path there. */
export async function uploadFile(file: File, onProgress?: (sent: number) => void): Promise<string> {
  let uploadId: string | undefined;
  let offset = 0;
  do {
    const slice = new Uint8Array(await file.slice(offset, offset + CHUNK).arrayBuffer());
    offset += slice.length;
    const isLast = offset >= file.size;
    const r = await call('file.upload', { ...(uploadId ? { uploadId } : {}), name: file.name, dataBase64: toBase64(slice), isLast });
    uploadId = r.uploadId;
    onProgress?.(offset);
    if (isLast) return r.path!;
  } while (offset < file.size);
  throw new Error('upload ended early');
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
