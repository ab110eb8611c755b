// Maps backend failures to the contract's error codes; anything unexpected becomes `internal`
// with its message (the investigator needs to read it; there is no stack trace in the UI).
import type { ApiError, ErrorCode } from '../../../shared/api/contract';
import { ValidationError } from '../../../shared/api/validate';
import { DatabaseVersionError } from '../store/db';
import { RefError } from '../store/queries';
import { ImportCancelled, ImportError } from '../import/types';

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
  if (e instanceof DatabaseVersionError) return { code: 'invalid-input', message: e.message };
  const err = e as { name?: string; code?: string; message?: string; field?: string };
  const message = err?.message ?? String(e);
  if (err?.name === 'PolicyError') return { code: 'policy-error', message, ...(err.field ? { field: err.field } : {}) };
  if (err?.name === 'IdentityError') return { code: err.code === 'wrong-passphrase' ? 'wrong-passphrase' : 'identity-error', message };
  if (err?.name === 'CaseError') return { code: err.code === 'not-found' ? 'not-found' : 'invalid-input', message };
  if (err?.name === 'SubjectNotFoundError') return { code: 'not-found', message };
  if (err?.code === 'SQLITE_NOTADB') return { code: 'invalid-input', message: `not a case database: ${message}` };
  if (err?.code === 'ENOENT') return { code: 'not-found', message };
  return { code: 'internal', message };
}
