// Zip archives as downloaded (GLEIF golden copy, Companies House PSC snapshot parts): entries are
// read as streams straight from the archive, never unpacked to disk. Each entry is imported as its
// own source, named `archive.zip/entry`, with the archive's and the entry's SHA-256.
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { ImportError } from './types';

export function isZip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    return n === 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);
  } finally {
    closeSync(fd);
  }
}

export interface ZipEntryInfo {
  name: string;
  uncompressedSize: number;
  compressedSize: number;
}

/** Entries that are never data: directories, macOS resource forks, desktop clutter. */
function ignored(name: string): boolean {
  return name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(name);
}

function broken(file: string, e: unknown): ImportError {
  return new ImportError(path.basename(file), 'archive', `broken or truncated zip archive (${(e as Error).message})`);
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(broken(file, err));
      else resolve(zip);
    });
  });
}

async function withEntries<T>(file: string, fn: (zip: yauzl.ZipFile, entry: yauzl.Entry) => Promise<T | undefined>): Promise<T[]> {
  const zip = await openZip(file);
  const out: T[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e) => reject(broken(file, e)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        fn(zip, entry).then(
          (v) => {
            if (v !== undefined) out.push(v);
            zip.readEntry();
          },
          reject,
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return out;
}

/** The data entries of a zip (directories and desktop clutter left out), in archive order. */
export async function listZipEntries(file: string): Promise<ZipEntryInfo[]> {
  const entries = await withEntries(file, async (_zip, e) => {
    if (ignored(e.fileName)) return undefined;
    if (e.isEncrypted()) throw new ImportError(path.basename(file), e.fileName, 'encrypted zip entries are not supported');
    return { name: e.fileName, uncompressedSize: e.uncompressedSize, compressedSize: e.compressedSize };
  });
  if (entries.length === 0) throw new ImportError(path.basename(file), 'archive', 'the zip archive contains no files');
  return entries;
}

/**
 * Opens one entry as a stream of its (decompressed) bytes. `raw` gets the entry's bytes as
 * stored in the archive after inflation, before any inner gzip is undone (for its SHA-256).
 */
export async function openZipEntry(
  file: string,
  entryName: string,
  onRaw?: (chunk: Buffer) => void,
): Promise<{ stream: Readable; close: () => void }> {
  const zip = await openZip(file);
  const entry = await new Promise<yauzl.Entry>((resolve, reject) => {
    zip.on('error', (e) => reject(broken(file, e)));
    zip.on('end', () => reject(new ImportError(path.basename(file), entryName, 'entry not found in the archive')));
    zip.on('entry', (e: yauzl.Entry) => {
      if (e.fileName === entryName) resolve(e);
      else zip.readEntry();
    });
    zip.readEntry();
  });
  const stream = await new Promise<Readable>((resolve, reject) => {
    zip.openReadStream(entry, (err, s) => (err || !s ? reject(broken(file, err)) : resolve(s)));
  });
  if (onRaw) stream.on('data', (c: Buffer) => onRaw(c));
  let out: Readable = stream;
  if (/\.gz$/i.test(entryName)) {
    const gunzip = createGunzip();
    stream.on('error', (e) => gunzip.destroy(e));
    out = stream.pipe(gunzip);
  }
  return { stream: out, close: () => zip.close() };
}

/** The first `max` bytes of an entry's content (decompressed), for format detection. */
export async function readZipEntryHead(file: string, entryName: string, max = 64 * 1024): Promise<Buffer> {
  const { stream, close } = await openZipEntry(file, entryName);
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      parts.push(c);
      n += c.length;
      if (n >= max) break;
    }
  } catch (e) {
    if (n === 0) throw broken(file, e);
  } finally {
    stream.destroy();
    close();
  }
  return Buffer.concat(parts).subarray(0, max);
}
