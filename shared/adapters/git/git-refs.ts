/**
 * Argument checks for the git adapter: refs and object ids are validated
 * before they reach git, so none can be read as an option.
 */
import { ValidationError } from '../../domain/errors.js';

/**
 * Refuses a ref that git would reject or that could be read as an option,
 * following `git check-ref-format` (one-level names such as `main`, `HEAD`
 * and hex SHAs are allowed).
 *
 * @throws {ValidationError} the ref is malformed.
 * @example
 * ```ts
 * assertRefName('feature/login', 'source'); // ok
 * assertRefName('--upload-pack=evil', 'source'); // throws ValidationError
 * ```
 */
export function assertRefName(ref: string, label: string): void {
  const problem = refProblem(ref);
  if (problem === undefined) return;
  throw new ValidationError(
    `invalid ${label} ${JSON.stringify(ref)}: ${problem}`,
    [{ path: label, message: problem }],
  );
}

function refProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'is empty';
  if (ref.length > 1024) return 'is longer than 1024 characters';
  if (ref.startsWith('-')) return 'starts with "-"';
  if (hasForbiddenCharacter(ref)) {
    return 'contains a control character, a space or one of ~ ^ : ? * [ \\';
  }
  if (ref.includes('..')) return 'contains ".."';
  if (ref === '@' || ref.includes('@{')) return 'is "@" or contains "@{"';
  if (ref.endsWith('.')) return 'ends with "."';
  const parts = ref.split('/');
  if (parts.some((part) => part.length === 0)) {
    return 'has an empty path component';
  }
  if (parts.some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'has a component that starts with "." or ends with ".lock"';
  }
  return undefined;
}

function hasForbiddenCharacter(ref: string): boolean {
  for (const char of ref) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || '~^:?*[\\'.includes(char)) {
      return true;
    }
  }
  return false;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** True for a full lowercase hex object id (SHA-1 or SHA-256). */
export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

/**
 * Checks a full object id (SHA-1 or SHA-256 hex) and returns it lowercased.
 *
 * @throws {ValidationError} not a full hex object id.
 * @example
 * ```ts
 * const sha = assertObjectId(input.treeSha, 'treeSha');
 * ```
 */
export function assertObjectId(value: string, label: string): string {
  const sha = value.toLowerCase();
  if (OBJECT_ID.test(sha)) return sha;
  const problem = 'is not a full hex object id';
  throw new ValidationError(
    `invalid ${label} ${JSON.stringify(value)}: ${problem}`,
    [{ path: label, message: problem }],
  );
}

/**
 * The full branch ref for a merge target: `main` -> `refs/heads/main`; a
 * `refs/heads/...` name is kept.
 *
 * @throws {ValidationError} malformed, or not a branch (`HEAD`, a tag).
 * @example
 * ```ts
 * branchRef('main'); // 'refs/heads/main'
 * ```
 */
export function branchRef(target: string): string {
  assertRefName(target, 'target');
  if (target.startsWith('refs/heads/')) return target;
  if (target.startsWith('refs/') || target === 'HEAD') {
    throw new ValidationError(`target must be a branch: ${target}`, [
      { path: 'target', message: 'must be a branch' },
    ]);
  }
  return `refs/heads/${target}`;
}

/**
 * The checked parts of a merge request common to every Scm adapter.
 * @throws ValidationError on a bad source ref, object id or blank message
 */
export function checkMergeInput(input: {
  source: string;
  expectedTargetSha: string;
  treeSha: string;
  message: string;
}): { expected: string; treeSha: string } {
  assertRefName(input.source, 'source');
  const expected = assertObjectId(input.expectedTargetSha, 'expectedTargetSha');
  const treeSha = assertObjectId(input.treeSha, 'treeSha');
  if (input.message.trim().length === 0) {
    throw new ValidationError('merge message is blank', [
      { path: 'message', message: 'is blank' },
    ]);
  }
  return { expected, treeSha };
}
