/**
 * Runs the git CLI for the git adapter: an argument vector (never a shell
 * string), `-C <repoDir>` instead of a cwd, a timeout and a scrubbed
 * environment. Callers check refs first (git-refs.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TransientError } from '../../domain/errors.js';

const execFileAsync = promisify(execFile);

/** Output above this size is an error rather than an unbounded buffer. */
const MAX_OUTPUT_BYTES = 128 * 1024 * 1024;

/**
 * Variables that point git at another repository, index or object store
 * (`git rev-parse --local-env-vars`). Inherited from a git hook they would
 * redirect every command away from `repoDir`, so they are dropped.
 */
const REPO_LOCAL_ENV = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_INTERNAL_SUPER_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
];

/** Where and how to run git. */
export interface GitRunConfig {
  repoDir: string;
  gitBinary: string;
  timeoutMs: number;
  /** The child environment, already scrubbed by {@link gitEnvironment}. */
  env: NodeJS.ProcessEnv;
  /** `-c key=value` pairs placed before the subcommand. */
  configArgs: readonly string[];
}

/** What a finished git command printed. */
export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A git command exited with a status its caller does not expect. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/** The git binary cannot be started (not installed or not on PATH). */
export class GitUnavailableError extends Error {
  constructor(gitBinary: string, options?: { cause?: unknown }) {
    super(
      `git not found: "${gitBinary}" is not installed or not on PATH ` +
        '(git >= 2.38 is required for merge-tree --write-tree)',
    );
    this.name = 'GitUnavailableError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * A copy of `base` without the variables that would point git elsewhere.
 *
 * @example
 * ```ts
 * const env = gitEnvironment(process.env);
 * ```
 */
export function gitEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of REPO_LOCAL_ENV) delete env[name];
  return env;
}

/**
 * Runs `git -C <repoDir> <configArgs> <args>` and returns its output when
 * the exit code is one of `okExitCodes`.
 *
 * @throws {GitCommandError} any other exit code, or oversized output.
 * @throws {GitUnavailableError} the git binary cannot be started.
 * @throws {TransientError} the command ran past the timeout (it is killed).
 * @example
 * ```ts
 * const { stdout } = await runGit(config, ['rev-parse', 'HEAD']);
 * ```
 */
export async function runGit(
  config: GitRunConfig,
  args: readonly string[],
  okExitCodes: readonly number[] = [0],
): Promise<GitResult> {
  const argv = ['-C', config.repoDir, ...config.configArgs, ...args];
  const result = await execGit(config, argv, args);
  if (okExitCodes.includes(result.exitCode)) return result;
  throw new GitCommandError(
    `git ${args[0] ?? ''} failed (exit ${result.exitCode}): ${firstLines(result.stderr)}`,
    args,
    result.exitCode,
    result.stderr,
  );
}

async function execGit(
  config: GitRunConfig,
  argv: readonly string[],
  args: readonly string[],
): Promise<GitResult> {
  try {
    const { stdout, stderr } = await execFileAsync(config.gitBinary, argv, {
      encoding: 'utf8',
      env: config.env,
      timeout: config.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: MAX_OUTPUT_BYTES,
      windowsHide: true,
    });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    return exitOrThrow(error, config, args);
  }
}

interface ExecFailure {
  code?: unknown;
  killed?: unknown;
  signal?: unknown;
  stdout?: unknown;
  stderr?: unknown;
}

function exitOrThrow(
  error: unknown,
  config: GitRunConfig,
  args: readonly string[],
): GitResult {
  const failure: ExecFailure =
    typeof error === 'object' && error !== null ? error : {};
  const stderr = typeof failure.stderr === 'string' ? failure.stderr : '';
  if (failure.code === 'ENOENT') {
    throw new GitUnavailableError(config.gitBinary, { cause: error });
  }
  if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    const message = `git ${args[0] ?? ''}: output exceeds ${MAX_OUTPUT_BYTES} bytes`;
    throw new GitCommandError(message, args, null, stderr);
  }
  if (failure.killed === true) {
    throw new TransientError(
      `git ${args[0] ?? ''} timed out after ${config.timeoutMs} ms`,
      1,
      { cause: error },
    );
  }
  if (typeof failure.code === 'number') {
    const stdout = typeof failure.stdout === 'string' ? failure.stdout : '';
    return { stdout, stderr, exitCode: failure.code };
  }
  if (typeof failure.signal === 'string') {
    const message = `git ${args[0] ?? ''} was killed by ${failure.signal}`;
    throw new GitCommandError(message, args, null, stderr);
  }
  const reason = error instanceof Error ? error.message : String(error);
  throw new GitCommandError(`git ${args[0] ?? ''}: ${reason}`, args, null, '');
}

function firstLines(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
