// Paths from outside (the renderer, the CLI, a case database) are checked here before anything
// is read or written: a path with a NUL byte, a FIFO, a device, a socket or a directory would
// hang a read forever (a FIFO with no writer, /dev/zero) or fail deep inside a parser with a
// message that names nothing. Files are opened once, non-blocking, and checked on the open
// descriptor, so a file swapped for a FIFO between a check and the read is refused too.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

/** What every refused path raises; the API maps it to `invalid-input` (or `not-found`). */
export class PathError extends Error {
  constructor(
    message: string,
    readonly isMissing = false,
  ) {
    super(message);
    this.name = 'PathError';
  }
}

/** Memory caps of files read whole (documented in docs/ARCHITECTURE.md, "Files from outside"). */
export const MAX_BYTES = {
  /** A PKCS#12 identity is a few KiB; 1 MiB leaves room for long chains. */
  identity: 1024 * 1024,
  /** A signed report with its embedded evidence and a large diagram stays well under this. */
  report: 64 * 1024 * 1024,
  /** A portfolio list for screening (a few million rows of references). */
  list: 256 * 1024 * 1024,
  /** An evidence file attached to a case (stored inside the case database). */
  attachment: 256 * 1024 * 1024,
  /** A policy file or a passphrase file. */
  small: 1024 * 1024,
} as const;

/** Refuses strings that cannot be a path: empty, or with a NUL byte (C APIs would cut the path there). */
export function checkPathString(p: unknown, what = 'path'): string {
  if (typeof p !== 'string' || p.length === 0) throw new PathError(`${what}: a path is required`);
  if (p.includes('\0')) throw new PathError(`${what}: the path contains a NUL byte`);
  return p;
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function notRegular(p: string, s: Stats): PathError {
  return new PathError(`${p}: ${kindOf(s)}, not a regular file: only regular files can be read`);
}

/** A path naming an existing regular file (symbolic links followed); returns its stats. */
export function requireRegularFile(p: unknown, what = 'path'): Stats {
  const file = checkPathString(p, what);
  let s: Stats;
  try {
    s = statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new PathError(`${file}: no such file`, true);
    throw new PathError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!s.isFile()) throw notRegular(file, s);
  return s;
}

/**
 * Opens a regular file for reading and returns its descriptor and size. Opened with O_NONBLOCK
 * (no effect on a regular file) so that opening a FIFO cannot block; the type is then checked on
 * the descriptor itself.
 */
export function openRegularFile(p: unknown, what = 'path'): { fd: number; size: number } {
  const file = checkPathString(p, what);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new PathError(`${file}: no such file`, true);
    // a socket cannot be opened (ENXIO), a directory not for reading: say what the path is
    let s: Stats | null = null;
    try {
      s = statSync(file);
    } catch {
      /* reported below */
    }
    if (s && !s.isFile()) throw notRegular(file, s);
    throw new PathError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const s = fstatSync(fd);
  if (!s.isFile()) {
    closeSync(fd);
    throw notRegular(file, s);
  }
  return { fd, size: s.size };
}

/** Reads a whole regular file of at most `max` bytes (checked before reading, and while reading). */
export function readRegularFile(p: unknown, max: number, what = 'path'): Buffer {
  const { fd, size } = openRegularFile(p, what);
  try {
    if (size > max) throw new PathError(`${String(p)}: ${size} bytes, more than the ${max}-byte limit for ${what}`);
    // read at most max + 1 bytes: a file growing while it is read is refused, not read without end
    const buf = Buffer.alloc(Math.min(size, max) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
      if (n > max) throw new PathError(`${String(p)}: more than the ${max}-byte limit for ${what}`);
      if (n === buf.length) break;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Case ids are `C-NNNN` (four or more digits); anything else never reaches a path or a query. */
export const CASE_ID = /^C-\d{4,9}$/;

export function checkCaseId(id: unknown): string {
  if (typeof id !== 'string' || !CASE_ID.test(id)) throw new PathError(`not a case id: ${JSON.stringify(id)} (case ids look like C-0001)`);
  return id;
}

/**
 * A file name to create inside a folder: one path segment, no separators, no NUL, not `.`/`..`,
 * no control characters, at most 200 characters.
 */
export function checkFileName(name: unknown, what = 'file name'): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) throw new PathError(`${what}: 1 to 200 characters are required`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\]/.test(name) || name === '.' || name === '..') throw new PathError(`${what}: ${JSON.stringify(name)} is not a plain file name`);
  return name;
}

/** `dir/name`, refused unless the result stays inside `dir`. */
export function fileInside(dir: string, name: string): string {
  const root = path.resolve(dir);
  const file = path.resolve(root, checkFileName(name));
  if (path.dirname(file) !== root) throw new PathError(`${name}: would be written outside ${root}`);
  return file;
}
