/**
 * One long-lived git process that answers requests in order on stdin and
 * stdout (`cat-file --batch`, `mktree --batch`, `hash-object --stdin-paths`):
 * a merge train pays for a process start once, not once per object.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { TransientError } from '../../domain/errors.js';
import {
  GitCommandError,
  type GitRunConfig,
  GitUnavailableError,
} from './run-git.js';

/**
 * Reads one answer from the start of `buffer`: the value and the bytes it
 * used, or null while the answer is still incomplete.
 */
export type AnswerParser<T> = (
  buffer: Buffer,
) => { value: T; used: number } | null;

interface Pending {
  parse: AnswerParser<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** stderr kept for error messages: the last few kilobytes. */
const STDERR_KEEP = 4096;

/**
 * A git child process fed one request at a time; answers are matched to
 * requests in order. A timeout kills the process (TransientError); an exit
 * fails every pending and later request.
 *
 * @example
 * ```ts
 * const batch = new GitBatch(config, ['cat-file', '--batch']);
 * const header = await batch.request('main\n', parseLine);
 * await batch.close();
 * ```
 */
export class GitBatch {
  readonly #config: GitRunConfig;
  readonly #args: readonly string[];
  readonly #pending: Pending[] = [];
  #child: ChildProcessWithoutNullStreams | null = null;
  #buffer: Buffer = Buffer.alloc(0);
  #stderr = '';
  #failure: Error | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(config: GitRunConfig, args: readonly string[]) {
    this.#config = config;
    this.#args = args;
  }

  /**
   * Writes `input` and resolves with the parsed answer.
   * @throws {GitCommandError} the process exited or broke its protocol.
   * @throws {GitUnavailableError} git cannot be started.
   * @throws {TransientError} no answer within the configured timeout.
   */
  request<T>(input: string | Buffer, parse: AnswerParser<T>): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const child = this.#start();
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({
        parse,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#arm();
      child.stdin.write(input);
    });
  }

  /**
   * Sends several requests in one write; each answer is its own promise
   * (failures as for {@link GitBatch.request}).
   */
  requestAll<T>(
    inputs: readonly string[],
    parse: AnswerParser<T>,
  ): Promise<T>[] {
    if (this.#failure) {
      const failure = this.#failure;
      return inputs.map(() => Promise.reject(failure));
    }
    const child = this.#start();
    const answers = inputs.map(
      (_, index) =>
        new Promise<T>((resolve, reject) => {
          this.#pending.push({
            parse,
            resolve: resolve as (value: unknown) => void,
            reject,
          });
          if (index === inputs.length - 1) child.stdin.write(inputs.join(''));
        }),
    );
    this.#arm();
    return answers;
  }

  /** Ends stdin and waits for the process to exit. */
  async close(): Promise<void> {
    const child = this.#child;
    this.#fail(new GitCommandError('git batch closed', this.#args, null, ''));
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.stdin.end();
    });
  }

  #start(): ChildProcessWithoutNullStreams {
    if (this.#child) return this.#child;
    const argv = ['-C', this.#config.repoDir, ...this.#config.configArgs];
    const child = spawn(this.#config.gitBinary, [...argv, ...this.#args], {
      env: this.#config.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.stdout.on('data', (chunk: Buffer) => this.#onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-STDERR_KEEP);
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      const gitBinary = this.#config.gitBinary;
      this.#fail(
        error.code === 'ENOENT'
          ? new GitUnavailableError(gitBinary, { cause: error })
          : new GitCommandError(error.message, this.#args, null, ''),
      );
    });
    child.on('close', (code) => {
      const message = `git ${this.#args[0] ?? ''} exited (${code}): ${this.#stderr.trim()}`;
      this.#fail(new GitCommandError(message, this.#args, code, this.#stderr));
    });
    this.#child = child;
    return child;
  }

  #onData(chunk: Buffer): void {
    this.#buffer =
      this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const next = this.#pending[0];
      if (!next) break;
      const answer = next.parse(this.#buffer);
      if (!answer) break;
      this.#pending.shift();
      this.#buffer = this.#buffer.subarray(answer.used);
      next.resolve(answer.value);
    }
    this.#arm();
  }

  /** One timer for the oldest pending request. */
  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.length === 0) return;
    this.#timer = setTimeout(() => {
      const ms = this.#config.timeoutMs;
      const message = `git ${this.#args[0] ?? ''} timed out after ${ms} ms`;
      this.#fail(new TransientError(message, 1));
      this.#child?.kill('SIGKILL');
    }, this.#config.timeoutMs);
  }

  #fail(error: Error): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#failure ??= error;
    for (const pending of this.#pending.splice(0)) pending.reject(error);
  }
}

/**
 * Parses one `\n`-terminated line (without the newline, as text).
 *
 * @example
 * ```ts
 * parseLine(Buffer.from('abc\nrest')); // { value: 'abc', used: 4 }
 * ```
 */
export function parseLine(
  buffer: Buffer,
): { value: string; used: number } | null {
  const end = buffer.indexOf(10);
  if (end < 0) return null;
  return { value: buffer.toString('utf8', 0, end), used: end + 1 };
}
