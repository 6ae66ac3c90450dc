import type { Principal } from '../../shared/domain/auth/principal.js';
import type { Deps } from '../../shared/runtime/deps.js';

/** Parsed flags: strings, booleans, or absent. */
export type Flags = Record<string, string | boolean | undefined>;

/** What a CLI command gets: deps, the acting principal and its flags. */
export interface CliContext {
  deps: Deps;
  actor: Principal;
  flags: Flags;
}

/** A CLI command: returns JSON-able output. */
export type Command = (ctx: CliContext) => Promise<unknown>;

/** A required string flag. @throws Error naming the flag. */
export function need(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`--${name} is required`);
  }
  return value;
}

/** An optional string flag. */
export function opt(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** An optional integer flag. @throws Error when not an integer. */
export function optInt(flags: Flags, name: string): number | undefined {
  const value = opt(flags, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer`);
  return n;
}

/** Drops undefined values (exactOptionalPropertyTypes). */
export { defined as compact } from '../../shared/http/schemas/common.js';
