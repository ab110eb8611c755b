// Maps backend failures to the contract's error codes. Anything unexpected becomes `internal`:
// the details (a Node or SQLite message, a stack) go to the backend's log under a random error
// id, and the page gets a generic message carrying that id. Raw messages name internal paths,
// SQL and library internals, and a hostile page could use them to probe the machine.
import { randomBytes } from 'node:crypto';
import type { ApiError, ErrorCode } from '../../../shared/api/contract';
import { ValidationError } from '../../../shared/api/validate';
import { DatabaseVersionError, NotACaseDatabaseError } from '../store/db';
import { RefError } from '../store/queries';
import { ImportCancelled, ImportError } from '../import/types';
import { PathError } from '../files/safe-path';

export class ApiFailure extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
    this.field = field;
  }
}

export const unavailable = (what: string): ApiFailure =>
  new ApiFailure('unavailable', `${what} is not available in this build of Ownerscope`);

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiFailure) return e.field ? { code: e.code, message: e.message, field: e.field } : { code: e.code, message: e.message };
  if (e instanceof ValidationError) return { code: 'invalid-input', message: e.message, field: e.field };
  if (e instanceof RefError) return { code: 'not-found', message: e.message };
  if (e instanceof ImportError) return { code: 'import-error', message: e.message };
  if (e instanceof ImportCancelled) return { code: 'cancelled', message: e.message };
  if (e instanceof PathError) return { code: e.isMissing ? 'not-found' : 'invalid-input', message: e.message };
  if (e instanceof NotACaseDatabaseError) return { code: 'invalid-input', message: e.message };
  if (e instanceof DatabaseVersionError) return { code: 'invalid-input', message: e.message };
  const err = e as { name?: string; code?: string; message?: string; field?: string; path?: string; syscall?: string };
  const message = err?.message ?? String(e);
  if (err?.name === 'PolicyError') return { code: 'policy-error', message, ...(err.field ? { field: err.field } : {}) };
  if (err?.name === 'IdentityError') return { code: err.code === 'wrong-passphrase' ? 'wrong-passphrase' : 'identity-error', message };
  if (err?.name === 'AssertionError') return { code: err.code === 'not-found' ? 'not-found' : 'invalid-input', message, ...(err.field ? { field: err.field } : {}) };
  if (err?.name === 'CaseError') return { code: err.code === 'not-found' ? 'not-found' : 'invalid-input', message };
  if (err?.name === 'SubjectNotFoundError' || err?.name === 'SourceNotFoundError') return { code: 'not-found', message };
  if (err?.code === 'SQLITE_NOTADB') return { code: 'invalid-input', message: 'not a case database (the file is not an SQLite database)' };
  // Node file-system failures the user can act on, said in our words with the file's name
  if (typeof err?.syscall === 'string' && typeof err.path === 'string') {
    if (err.code === 'ENOENT') return { code: 'not-found', message: `${err.path}: no such file or folder` };
    if (err.code === 'EACCES' || err.code === 'EPERM') return { code: 'invalid-input', message: `${err.path}: permission denied` };
    if (err.code === 'EISDIR') return { code: 'invalid-input', message: `${err.path}: is a folder, not a file` };
  }
  if (isOwnMessage(e)) return { code: 'internal', message };
  return internalError(e);
}

/**
 * A plain `Error` thrown by Ownerscope's own code carries a message written for the user.
 * Node's system errors (errno, syscall), `ERR_*` errors, SQLite's errors and the built-in
 * TypeError/RangeError/… of a bug do not.
 */
function isOwnMessage(e: unknown): e is Error {
  if (!(e instanceof Error) || Object.getPrototypeOf(e) !== Error.prototype) return false;
  const x = e as Error & { code?: unknown; errno?: unknown; syscall?: unknown };
  return x.code === undefined && x.errno === undefined && x.syscall === undefined;
}

export function internalError(e: unknown): ApiError {
  const errorId = randomBytes(4).toString('hex');
  console.error(`ownerscope: internal error ${errorId}:`, e);
  return {
    code: 'internal',
    message: `Ownerscope hit an unexpected error (error id ${errorId}); the details are in the application log.`,
    errorId,
  };
}
