// One entry point for every transport: validates the input against the contract, runs the
// handler, and turns any failure into `{ ok: false, error }`.
import { isMethod, validators, type Input, type Method, type Output, type Result } from '../../../shared/api/contract';
import type { Backend } from './backend';
import { toApiError } from './errors';
import { handlers, type Handler } from './handlers';

export async function dispatch(backend: Backend, method: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isMethod(method)) return { ok: false, error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(method)}` } };
  try {
    const input = validators[method](rawInput ?? {}, '');
    const handler = handlers[method] as Handler<Method>;
    const value = await handler(input as never, backend);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
}

/** Typed in-process call (the CLI, tests, Electron main's own use). */
export function callBackend<K extends Method>(backend: Backend, method: K, input: Input<K>): Promise<Result<Output<K>>> {
  return dispatch(backend, method, input) as Promise<Result<Output<K>>>;
}
