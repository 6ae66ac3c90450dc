/**
 * Runs one command in its own process group with a timeout, for the make
 * checks adapter. On timeout the whole group is killed (make and everything
 * it started), first with SIGTERM, then SIGKILL after a grace period.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How to run the command. */
export interface RunProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL of the process group. */
  killGraceMs: number;
  /** Bytes kept from the start of each stream; the rest is counted only. */
  keepBytes: number;
}

/** How the command ended. */
export type ProcessOutcome =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string }
  | { kind: 'signalled'; signal: string; stdout: string; stderr: string }
  | { kind: 'timed-out'; stdout: string; stderr: string }
  | { kind: 'spawn-failed'; code: string; message: string };

/** After the command exits, how long its output pipes may stay open. */
const DRAIN_MS = 500;

/**
 * Runs `command args` (no shell) and resolves with its outcome; it never
 * rejects.
 *
 * @example
 * ```ts
 * const outcome = await runProcess('make', ['lint'], options);
 * if (outcome.kind === 'exited' && outcome.exitCode === 0) { ... }
 * ```
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout = new HeadBuffer(options.keepBytes);
    const stderr = new HeadBuffer(options.keepBytes);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const output = () => ({ stdout: stdout.text(), stderr: stderr.text() });
    const watch = new Watchdog(child, options);
    const finish = (outcome: ProcessOutcome): void => {
      if (watch.stop()) resolve(outcome);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      killGroup(child.pid, 'SIGKILL');
      const code = error.code ?? 'UNKNOWN';
      finish({ kind: 'spawn-failed', code, message: error.message });
    });
    child.on('exit', () => watch.exited());
    child.on('close', (code, signal) => {
      if (watch.timedOut) finish({ kind: 'timed-out', ...output() });
      else finish(exitOutcome(code, signal, output()));
    });
  });
}

/** The timers around one child: timeout, kill escalation, pipe drain. */
class Watchdog {
  readonly #timers: NodeJS.Timeout[] = [];
  #stopped = false;
  timedOut = false;

  constructor(
    private readonly child: ChildProcessByStdio<null, Readable, Readable>,
    options: RunProcessOptions,
  ) {
    this.#later(options.timeoutMs, () => {
      this.timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      this.#later(options.killGraceMs, () => killGroup(child.pid, 'SIGKILL'));
    });
  }

  /**
   * A stray background process can hold the pipes open after the command
   * exits: stop waiting for it, and stop it, once the drain window passed.
   */
  exited(): void {
    this.#later(DRAIN_MS, () => {
      killGroup(this.child.pid, 'SIGKILL');
      this.child.stdout.destroy();
      this.child.stderr.destroy();
    });
  }

  /** Clears every timer; true the first time only. */
  stop(): boolean {
    if (this.#stopped) return false;
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    return true;
  }

  #later(ms: number, action: () => void): void {
    if (!this.#stopped) this.#timers.push(setTimeout(action, ms));
  }
}

function exitOutcome(
  code: number | null,
  signal: NodeJS.Signals | null,
  output: { stdout: string; stderr: string },
): ProcessOutcome {
  if (code === null) {
    return { kind: 'signalled', signal: signal ?? 'unknown', ...output };
  }
  return { kind: 'exited', exitCode: code, ...output };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    // A negative pid addresses the process group `detached` created.
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Keeps the first `limit` bytes of a stream. */
class HeadBuffer {
  readonly #chunks: Buffer[] = [];
  #kept = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    const room = this.limit - this.#kept;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}
