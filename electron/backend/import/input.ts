// Opening an input for parsing: a file (gzip detected from its bytes) or one entry of a zip
// archive, streamed, with the SHA-256 and byte count of what was read. Used by the import runner
// and by its parse worker.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { openZipEntry } from './archive';

/** A file to import: a file on disk, or one entry of a zip archive (named `archive.zip/entry`). */
export interface ImportInput {
  file: string;
  entry?: string;
  name: string;
  size: number;
}

export function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    readSync(fd, b, 0, 2, 0);
    return b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export interface OpenedInput {
  chunks: AsyncIterable<Buffer>;
  hash: () => string;
  bytes: () => number;
}

async function openZipInput(input: ImportInput): Promise<OpenedInput> {
  const hash = createHash('sha256');
  let bytes = 0;
  const { stream, close } = await openZipEntry(input.file, input.entry!, (c) => {
    hash.update(c);
    bytes += c.length;
  });
  stream.on('close', close);
  stream.on('end', close);
  let digest: string | null = null;
  return {
    chunks: stream as AsyncIterable<Buffer>,
    hash: () => (digest ??= hash.digest('hex')),
    bytes: () => bytes,
  };
}

function openFileInput(file: string): OpenedInput {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const hash = createHash('sha256');
  let bytes = 0;
  raw.on('data', (c) => {
    const b = c as Buffer;
    hash.update(b);
    bytes += b.length;
  });
  let stream: Readable = raw;
  if (isGzip(file)) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  let digest: string | null = null;
  return {
    chunks: stream as AsyncIterable<Buffer>,
    hash: () => (digest ??= hash.digest('hex')),
    bytes: () => bytes,
  };
}

/** Opens an input for streaming. */
export async function openInput(input: ImportInput): Promise<OpenedInput> {
  return input.entry ? openZipInput(input) : openFileInput(input.file);
}
