import { execFile } from 'node:child_process';
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

/** An optional number flag. @throws Error when not a number. */
export function optNum(flags: Flags, name: string): number | undefined {
  const value = opt(flags, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new Error(`--${name} must be a number`);
  }
  return n;
}

/** An optional `true|false` flag. @throws Error on any other value. */
export function optBool(flags: Flags, name: string): boolean | undefined {
  const value = opt(flags, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`--${name} must be true or false`);
}

/** An optional comma-separated list flag (`a,b`). */
export function optList(flags: Flags, name: string): string[] | undefined {
  const value = opt(flags, name);
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Fails unless `dir` is inside a git work tree: commands that read git
 * call it first, so a wrong `--repo` gives one clear message.
 * @throws Error `not a git repository: DIR`.
 */
export async function requireGitRepo(dir: string): Promise<void> {
  const ok = await new Promise<boolean>((done) => {
    execFile('git', ['-C', dir, 'rev-parse', '--git-dir'], (error) =>
      done(error === null),
    );
  });
  if (!ok) throw new Error(`not a git repository: ${dir}`);
}

/** Wraps a command that needs git: checks `--repo` (or `.`) first. */
export function withGit(command: Command): Command {
  return async (ctx) => {
    await requireGitRepo(ctx.deps.env.CONVERGE_REPO_DIR);
    return command(ctx);
  };
}
