// Zip archives as downloaded (GLEIF golden copy, Companies House PSC snapshot parts): entries are
// read as streams straight from the archive, never unpacked to disk. Each entry is imported as its
// own source, named `archive.zip/entry`, with the archive's and the entry's SHA-256.
import { closeSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { openRegularFile } from '../files/safe-path';
import { ImportError } from './types';

export interface ZipEntryInfo {
  name: string;
  uncompressedSize: number;
  compressedSize: number;
  /** The first bytes of the entry's content (decompressed), for format detection. */
  head: Buffer;
}

/** Entries that are never data: directories, macOS resource forks, desktop clutter. */
function ignored(name: string): boolean {
  return name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(name);
}

function broken(file: string, e: unknown): ImportError {
  return new ImportError(path.basename(file), 'archive', `broken or truncated zip archive (${(e as Error).message})`);
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  // through a descriptor checked to be a regular file (files/safe-path.ts); zip.close() closes it
  const { fd } = openRegularFile(file);
  return new Promise((resolve, reject) => {
    yauzl.fromFd(fd, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        closeSync(fd);
        reject(broken(file, err));
      } else resolve(zip);
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

/**
 * The data entries of a zip (directories and desktop clutter left out), in archive order, each
 * with the first `headBytes` of its content: one pass over one opening of the archive. Two
 * entries with the same name are refused: an entry is imported and cited by its name, and which
 * of the two a name means cannot be told (docs/FORMATS-ARCHIVES.md).
 */
export async function listZipEntries(file: string, headBytes = 64 * 1024): Promise<ZipEntryInfo[]> {
  const seen = new Set<string>();
  const entries = await withEntries(file, async (zip, e) => {
    if (ignored(e.fileName)) return undefined;
    if (e.isEncrypted()) throw new ImportError(path.basename(file), e.fileName, 'encrypted zip entries are not supported');
    if (seen.has(e.fileName)) {
      throw new ImportError(path.basename(file), e.fileName, 'the archive holds two entries with this name; which one is the data cannot be told, so the archive is refused');
    }
    seen.add(e.fileName);
    return { name: e.fileName, uncompressedSize: e.uncompressedSize, compressedSize: e.compressedSize, head: await entryHead(file, zip, e, headBytes) };
  });
  if (entries.length === 0) throw new ImportError(path.basename(file), 'archive', 'the zip archive contains no files');
  return entries;
}

function readStream(file: string, zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    zip.openReadStream(entry, (err, s) => (err || !s ? reject(broken(file, err)) : resolve(s)));
  });
}

/** The content stream of an entry; an entry named `.gz` is decompressed. */
function content(entryName: string, stream: Readable): Readable {
  if (!/\.gz$/i.test(entryName)) return stream;
  const gunzip = createGunzip();
  stream.on('error', (e) => gunzip.destroy(e));
  return stream.pipe(gunzip);
}

async function entryHead(file: string, zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer> {
  const raw = await readStream(file, zip, entry);
  const stream = content(entry.fileName, raw);
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
    raw.destroy();
  }
  return Buffer.concat(parts).subarray(0, max);
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
  const stream = await readStream(file, zip, entry);
  if (onRaw) stream.on('data', (c: Buffer) => onRaw(c));
  return { stream: content(entryName, stream), close: () => zip.close() };
}
