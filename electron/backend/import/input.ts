// The one way an import reads a file: a regular file (checked on its open descriptor, so a FIFO,
// a device or a directory is refused before any read), gzip detected from its bytes, or one entry
// of a zip archive; streamed, with the SHA-256 and byte count of what was read, and every byte
// checked to be UTF-8 (all formats are UTF-8 text; a file in another encoding, or with stray
// bytes, would otherwise be imported with U+FFFD in names and addresses). Used by the import
// runner and by its parse worker.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { openRegularFile } from '../files/safe-path';
import { openZipEntry } from './archive';
import { ImportError } from './types';

/**
 * A file to import: a file on disk, one entry of a zip archive (named `archive.zip/entry`), or
 * standard input (`file` "-", `stdin` true; its size is known only once it has been read).
 */
export interface ImportInput {
  file: string;
  entry?: string;
  name: string;
  size: number;
  stdin?: boolean;
}

/** How many bytes of the start of a file format detection sees. */
export const HEAD_BYTES = 64 * 1024;

export interface ProbedFile {
  size: number;
  /** The first HEAD_BYTES bytes as stored (compressed, for a gzip file). */
  head: Buffer;
  isZip: boolean;
  isGzip: boolean;
}

/** Opens a file once: refuses what is not a regular file, reads its first bytes and its size. */
export function probeFile(file: string): ProbedFile {
  const { fd, size } = openRegularFile(file);
  try {
    const b = Buffer.alloc(Math.min(HEAD_BYTES, size));
    let n = 0;
    while (n < b.length) {
      const r = readSync(fd, b, n, b.length - n, n);
      if (r === 0) break;
      n += r;
    }
    const head = b.subarray(0, n);
    return {
      size,
      head,
      isGzip: head[0] === 0x1f && head[1] === 0x8b,
      isZip: n >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06),
    };
  } finally {
    closeSync(fd);
  }
}

/** The decompressed start of a probed file (a truncated gzip head is accepted), for sniffing. */
export function headContent(p: ProbedFile): Buffer {
  if (!p.isGzip) return p.head;
  try {
    return gunzipSync(p.head, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a truncated head */ }).subarray(0, HEAD_BYTES);
  } catch {
    return Buffer.alloc(0);
  }
}

/** A stream (standard input) read once: its first bytes for detection, then the rest, in order. */
export interface ProbedStream {
  /** The first bytes read (HEAD_BYTES or more, or the whole stream when shorter), as received. */
  head: Buffer;
  isZip: boolean;
  isGzip: boolean;
  /** The chunks read for the head, then the rest of the stream. */
  chunks: AsyncIterable<Buffer>;
}

/** Reads the start of a stream without losing it: the returned chunks still begin at byte 0. */
export async function probeStream(stream: AsyncIterable<Buffer>): Promise<ProbedStream> {
  const it = stream[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let n = 0;
  let done = false;
  while (n < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    first.push(b);
    n += b.length;
  }
  const head = Buffer.concat(first);
  async function* chunks(): AsyncGenerator<Buffer> {
    yield* first;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
  }
  return {
    head,
    isGzip: head[0] === 0x1f && head[1] === 0x8b,
    isZip: head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06),
    chunks: chunks(),
  };
}

export interface OpenedInput {
  chunks: AsyncIterable<Buffer>;
  hash: () => string;
  bytes: () => number;
}

/** Index of the first byte of `b` that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > b.length || !isUtf8(b.subarray(i, i + n))) return i;
    i += n;
  }
  return b.length;
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Passes the chunks through unchanged after checking they are UTF-8, counting lines so that a bad
 * byte is reported by line. A multi-byte sequence cut by a chunk boundary is completed by the
 * next chunk; one cut by the end of the file is an error too.
 */
export async function* utf8Checked(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  let line = 1;
  let offset = 0;
  const fail = (buf: Buffer): never => {
    const at = firstInvalidUtf8(buf);
    const before = buf.subarray(0, at);
    const l = line + countLines(before);
    const bytes = [...buf.subarray(at, at + 4)].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    throw new ImportError(name, `line ${l}`, `not valid UTF-8 (bytes ${bytes} at byte ${offset + at} of the file); Ownerscope reads UTF-8 only: convert the file to UTF-8`);
  };
  for await (const c of chunks) {
    const buf: Buffer = carry ? Buffer.concat([carry, c]) : c;
    // hold back an incomplete sequence at the end of the chunk: its next bytes are in the next one
    let end = buf.length;
    let k = end - 1;
    while (k >= 0 && end - k < 4 && (buf[k]! & 0xc0) === 0x80) k--;
    if (k >= 0) {
      const lead = buf[k]!;
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (need > end - k) end = k;
    }
    const body = end === buf.length ? buf : buf.subarray(0, end);
    if (!isUtf8(body)) fail(body);
    line += countLines(body);
    offset += body.length;
    carry = end < buf.length ? Buffer.from(buf.subarray(end)) : null;
    yield c;
  }
  if (carry) fail(carry);
}

function checked(input: ImportInput, stream: Readable, hash: ReturnType<typeof createHash>, bytes: () => number): OpenedInput {
  let digest: string | null = null;
  return {
    chunks: utf8Checked(stream as AsyncIterable<Buffer>, input.name),
    hash: () => (digest ??= hash.digest('hex')),
    bytes,
  };
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
  return checked(input, stream, hash, () => bytes);
}

function openFileInput(input: ImportInput): OpenedInput {
  const { fd } = openRegularFile(input.file);
  let isGzip = false;
  try {
    const b = Buffer.alloc(2);
    isGzip = readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  const raw = createReadStream('', { fd, start: 0, highWaterMark: 1 << 20 });
  const hash = createHash('sha256');
  let bytes = 0;
  raw.on('data', (c) => {
    const b = c as Buffer;
    hash.update(b);
    bytes += b.length;
  });
  let stream: Readable = raw;
  if (isGzip) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  return checked(input, stream, hash, () => bytes);
}

/** Streams a probed stream (standard input): hashed and counted as received, gunzipped when it is gzip. */
export function openStreamInput(input: ImportInput, probed: ProbedStream): OpenedInput {
  const hash = createHash('sha256');
  let bytes = 0;
  async function* raw(): AsyncGenerator<Buffer> {
    for await (const c of probed.chunks) {
      hash.update(c);
      bytes += c.length;
      yield c;
    }
  }
  let stream: Readable = Readable.from(raw(), { objectMode: false });
  if (probed.isGzip) {
    const gunzip = createGunzip();
    stream.on('error', (e) => gunzip.destroy(e));
    stream = stream.pipe(gunzip);
  }
  return checked(input, stream, hash, () => bytes);
}

/** Opens an input for streaming. */
export async function openInput(input: ImportInput): Promise<OpenedInput> {
  return input.entry ? openZipInput(input) : openFileInput(input);
}
