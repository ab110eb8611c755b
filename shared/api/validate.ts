// Small hand-written runtime validators for API inputs. Every method input crosses a trust
// boundary (IPC from a renderer, HTTP from a browser tab), so each is checked field by field
// before a handler sees it; the error names the field.

import { isValidDate } from '../domain/policy/policy';

export class ValidationError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'ValidationError';
    this.field = field;
  }
}

export type Validator<T> = (value: unknown, field: string) => T;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string`;
  return typeof v === 'object' ? 'an object' : `${typeof v}`;
}

export const str =
  (opts: { min?: number; max?: number; pattern?: RegExp; hint?: string } = {}): Validator<string> =>
  (v, f) => {
    if (typeof v !== 'string') throw new ValidationError(f, `must be a string, got ${describe(v)}`);
    const min = opts.min ?? 0;
    const max = opts.max ?? 100_000;
    if (v.length < min) throw new ValidationError(f, min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
    if (v.length > max) throw new ValidationError(f, `must have at most ${max} characters`);
    // A NUL ends a path for the operating system and a string for C code (SQLite, PDF readers):
    // what is checked would differ from what is used.
    if (v.includes('\0')) throw new ValidationError(f, 'must not contain a NUL character');
    if (opts.pattern && !opts.pattern.test(v)) throw new ValidationError(f, `must be ${opts.hint ?? `like ${String(opts.pattern)}`}`);
    return v;
  };

export const int =
  (min: number, max: number): Validator<number> =>
  (v, f) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValidationError(f, `must be an integer, got ${describe(v)}`);
    if (v < min || v > max) throw new ValidationError(f, `must be between ${min} and ${max}`);
    return v;
  };

export const bool: Validator<boolean> = (v, f) => {
  if (typeof v !== 'boolean') throw new ValidationError(f, `must be true or false, got ${describe(v)}`);
  return v;
};

export const oneOf =
  <T extends string>(values: readonly T[]): Validator<T> =>
  (v, f) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      throw new ValidationError(f, `must be one of ${values.map((x) => `"${x}"`).join(', ')}`);
    return v as T;
  };

export const arr =
  <T>(item: Validator<T>, opts: { min?: number; max?: number } = {}): Validator<T[]> =>
  (v, f) => {
    if (!Array.isArray(v)) throw new ValidationError(f, `must be an array, got ${describe(v)}`);
    if (v.length < (opts.min ?? 0)) throw new ValidationError(f, `must have at least ${opts.min} item(s)`);
    if (v.length > (opts.max ?? 10_000)) throw new ValidationError(f, `must have at most ${opts.max} items`);
    return v.map((x, i) => item(x, `${f}[${i}]`));
  };

/** A JSON object whose content is validated later by its own module (a user policy). */
export const record: Validator<Record<string, unknown>> = (v, f) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(f, `must be an object, got ${describe(v)}`);
  noNul(v, f, 0);
  return v as Record<string, unknown>;
};

/** Its own module checks the content; a NUL in any key or string inside is refused here already. */
function noNul(v: unknown, f: string, depth: number): void {
  if (depth > 32) throw new ValidationError(f, 'is nested too deeply');
  if (typeof v === 'string') {
    if (v.includes('\0')) throw new ValidationError(f, 'must not contain a NUL character');
  } else if (Array.isArray(v)) v.forEach((x, i) => noNul(x, `${f}[${i}]`, depth + 1));
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) {
      const at = f ? `${f}.${k}` : k;
      if (k.includes('\0')) throw new ValidationError(at, 'must not contain a NUL character');
      noNul(x, at, depth + 1);
    }
}

export const nullable =
  <T>(inner: Validator<T>): Validator<T | null> =>
  (v, f) =>
    v === null ? null : inner(v, f);

type Shape = Record<string, Validator<unknown>>;
type Optional<T> = Validator<T> & { isOptional: true };
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { isOptional: true } ? K : never }[keyof S];
type Out<V> = V extends Validator<infer T> ? T : never;
export type ObjOut<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Out<S[K]> } & {
  [K in OptionalKeys<S>]?: Out<S[K]>;
};

export const opt = <T>(inner: Validator<T>): Optional<T | undefined> => {
  const v: Validator<T | undefined> = (x, f) => (x === undefined ? undefined : inner(x, f));
  return Object.assign(v, { isOptional: true as const });
};

/** An object with exactly these fields: unknown fields are refused (they are usually typos). */
export const obj =
  <S extends Shape>(shape: S): Validator<ObjOut<S>> =>
  (v, f) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new ValidationError(f, `must be an object, got ${describe(v)}`);
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    // Own fields only, on both sides: `key in shape` would accept `constructor`, `toString` or
    // `__proto__` (an own key after JSON.parse) as known, and `input[key]` would read inherited ones.
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(shape, key)) throw new ValidationError(f ? `${f}.${key}` : key, 'unknown field');
    }
    for (const [key, check] of Object.entries(shape)) {
      const value = check(Object.hasOwn(input, key) ? input[key] : undefined, f ? `${f}.${key}` : key);
      if (value !== undefined) out[key] = value;
    }
    return out as ObjOut<S>;
  };

const DATE_TEXT = str({ pattern: /^\d{4}-\d{2}-\d{2}$/, hint: 'a date YYYY-MM-DD' });
/** A date YYYY-MM-DD that exists in the calendar (2023-02-31 is refused, not rolled over to March). */
export const DATE: Validator<string> = (v, f) => {
  const s = DATE_TEXT(v, f);
  if (!isValidDate(s)) throw new ValidationError(f, `"${s}" is not a date in the calendar`);
  return s;
};
