import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ValidationError } from '../../domain/errors.js';
import {
  DEFAULT_POLICY_CONFIG,
  type PolicyConfig,
  parsePolicyConfigOverride,
  resolvePolicyConfig,
} from '../../domain/policy/index.js';

/** Files tried after the explicit path, relative to the directory. */
export const POLICY_FILE_CANDIDATES = [
  '.converge/policy.json',
  'policy.json',
  'policy.default.json',
] as const;

/** Where to look for the policy file. */
export interface LoadPolicyConfigOptions {
  /** Directory the candidates (and a relative `path`) are resolved in. */
  readonly dir: string;
  /** An explicit file (`--config`), tried first. */
  readonly path?: string | undefined;
  /** Config the file is merged over; the embedded defaults by default. */
  readonly base?: PolicyConfig | undefined;
}

/** The resolved config and the file it came from (null: none found). */
export interface LoadedPolicyConfig {
  readonly config: PolicyConfig;
  readonly source: string | null;
}

/**
 * Loads the policy the way the original did: the first file that exists
 * among `path`, `.converge/policy.json`, `policy.json` and
 * `policy.default.json` is merged over the defaults (only that one file).
 * No file at all gives the defaults. As in the original, a missing explicit
 * `path` falls through to the other candidates.
 *
 * @throws ValidationError when the file found is not JSON or has an unknown
 *   key or an out-of-range value; other read errors (permissions) propagate.
 * @example const { config } = await loadPolicyConfig({ dir: process.cwd() });
 */
export async function loadPolicyConfig(
  options: LoadPolicyConfigOptions,
): Promise<LoadedPolicyConfig> {
  const base = options.base ?? DEFAULT_POLICY_CONFIG;
  for (const file of candidateFiles(options)) {
    const text = await readIfExists(file);
    if (text === undefined) continue;
    const override = parsePolicyConfigOverride(parseJson(text, file), file);
    return { config: resolvePolicyConfig(base, override), source: file };
  }
  return { config: resolvePolicyConfig(base), source: null };
}

function candidateFiles(options: LoadPolicyConfigOptions): string[] {
  const explicit = options.path === undefined ? [] : [options.path];
  return [...explicit, ...POLICY_FILE_CANDIDATES].map((file) =>
    isAbsolute(file) ? file : resolve(options.dir, file),
  );
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissingFileError(error)) return undefined;
    throw error;
  }
}

function isMissingFileError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`Policy file ${file} is not valid JSON`, [
      { path: file, message },
    ]);
  }
}
