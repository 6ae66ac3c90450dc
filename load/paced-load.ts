/**
 * An open-loop load generator: requests leave on a fixed schedule (`rate`
 * per second over at most `connections` keep-alive sockets), whatever the
 * server's pace, and each latency runs from the request's scheduled time,
 * not from when a free socket let it go. A slow server therefore shows up
 * in the tail instead of slowing the load down (no coordinated omission),
 * which a closed loop (autocannon's default, and its per-second
 * `overallRate` bursts) cannot show: there, latency is connections divided
 * by throughput (Little's law), whatever the rate asked for.
 */
import { connect, type Socket } from 'node:net';

/** One request of the schedule (the i-th). */
export interface PacedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedOptions {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  connections: number;
  /** Requests per second offered. */
  rate: number;
  /** Measured seconds, after `warmupSeconds` at the same rate. */
  seconds: number;
  warmupSeconds?: number;
  /** A request counts as an error (timeout) after this long. */
  timeoutMs?: number;
  build(i: number): PacedRequest;
}

export interface PacedResult {
  offeredRate: number;
  /** Completed measured requests per measured second. */
  achievedRate: number;
  sent: number;
  /** Responses by status code (measured requests). */
  statuses: Record<string, number>;
  /** Network errors and timeouts (measured requests). */
  errors: number;
  /** Latency from the scheduled send time, in ms. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

interface Outcome {
  status: number;
  ms: number;
}

interface Job {
  wire: Buffer;
  done(status: number): void;
}

/** The request as bytes on the wire (HTTP/1.1, keep-alive). */
function wireOf(req: PacedRequest, host: string): Buffer {
  const body = req.body === undefined ? '' : req.body;
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(req.headers)) {
    lines.push(`${name}: ${value}`);
  }
  lines.push(`content-length: ${Buffer.byteLength(body)}`, '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n')), Buffer.from(body)]);
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

/**
 * The status of the response at the start of `buffer` and its length in
 * bytes, or null while incomplete (Content-Length or chunked framing).
 */
function responseAt(buffer: Buffer): { status: number; bytes: number } | null {
  const headEnd = buffer.indexOf(HEAD_END);
  if (headEnd < 0) return null;
  const head = buffer.subarray(0, headEnd).toString('latin1');
  const status = Number(head.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const bytes = headEnd + 4 + Number(length[1]);
    return buffer.length >= bytes ? { status, bytes } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = buffer.indexOf(CHUNKED_END, headEnd);
    return end < 0 ? null : { status, bytes: end + CHUNKED_END.length };
  }
  return { status, bytes: headEnd + 4 };
}

/** One keep-alive connection running one request at a time. */
class Connection {
  private socket: Socket | null;
  private buffer: Buffer = Buffer.alloc(0);
  private job: Job | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: URL,
    private readonly timeoutMs: number,
    private readonly next: () => Job | undefined,
  ) {
    this.socket = this.open();
  }

  get idle(): boolean {
    return this.job === null;
  }

  private open(): Socket {
    const socket = connect(Number(this.url.port), this.url.hostname);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.once('close', () => this.fail(socket));
    return socket;
  }

  /** Takes the next due job, if any; a closed connection is opened again. */
  pump(): void {
    const job = this.job === null ? this.next() : undefined;
    if (job === undefined) return;
    this.job = job;
    if (this.socket === null) this.socket = this.open();
    const socket = this.socket;
    this.timer = setTimeout(() => socket.destroy(), this.timeoutMs);
    socket.write(job.wire);
  }

  private finish(status: number): void {
    const job = this.job;
    if (this.timer) clearTimeout(this.timer);
    this.job = null;
    job?.done(status);
    this.pump();
  }

  private onData(chunk: Buffer): void {
    this.buffer =
      this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const response = responseAt(this.buffer);
    if (response === null) return;
    this.buffer = this.buffer.subarray(response.bytes);
    this.finish(response.status);
  }

  /** The connection closed: its request in flight (if any) failed. */
  private fail(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    if (this.job !== null) this.finish(0);
  }

  close(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
  }
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 100) / 100;
}

function summarizeOutcomes(
  outcomes: Outcome[],
  options: PacedOptions,
): PacedResult {
  const statuses: Record<string, number> = {};
  let errors = 0;
  const latencies = new Float64Array(outcomes.length);
  outcomes.forEach((outcome, i) => {
    latencies[i] = outcome.ms;
    if (outcome.status === 0) errors++;
    else statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
  });
  latencies.sort();
  const completed = outcomes.length - errors;
  return {
    offeredRate: options.rate,
    achievedRate: Math.round((completed / options.seconds) * 10) / 10,
    sent: outcomes.length,
    statuses,
    errors,
    latencyMs: {
      p50: quantile(latencies, 0.5),
      p90: quantile(latencies, 0.9),
      p99: quantile(latencies, 0.99),
      max: quantile(latencies, 1),
    },
  };
}

/** Queues the jobs that fell due by now, in schedule order. */
function makeDue(
  options: PacedOptions,
  url: URL,
  record: (i: number, status: number, scheduled: number) => void,
) {
  const warmup = Math.round(options.rate * (options.warmupSeconds ?? 0));
  const total = warmup + Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const start = performance.now();
  const queue: Job[] = [];
  let next = 0;
  return {
    queue,
    total,
    warmup,
    /** Moves the requests scheduled up to now into `queue`; false when all are. */
    release(): boolean {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        const i = next++;
        const scheduled = start + i * interval;
        queue.push({
          wire: wireOf(options.build(i), url.host),

          done: (status) => record(i, status, scheduled),
        });
      }
      return next < total;
    },
  };
}

/**
 * Runs the schedule: warm-up requests first (not recorded), then
 * `rate * seconds` measured ones.
 * @example
 * const result = await pacedLoad({ origin, connections: 50, rate: 2000,
 *   seconds: 10, build: () => ({ method: 'GET', path: '/v1/health', headers: {} }) });
 */
export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const url = new URL(options.origin);
  const outcomes: Outcome[] = [];
  let finished = 0;
  let allDone = () => {};
  const due = makeDue(options, url, (i, status, scheduled) => {
    if (i >= due.warmup) {
      outcomes.push({ status, ms: performance.now() - scheduled });
    }
    if (++finished === due.total) allDone();
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connections = Array.from(
    { length: options.connections },
    () => new Connection(url, timeoutMs, () => due.queue.shift()),
  );
  await new Promise<void>((resolve) => {
    allDone = resolve;
    // Round-robin over the idle connections, so every connection carries
    // its share and none idles into the server's keep-alive timeout.
    let turn = 0;
    const tick = () => {
      const more = due.release();
      for (let k = 0; k < connections.length && due.queue.length > 0; k++) {
        const connection = connections[turn];
        turn = (turn + 1) % connections.length;
        if (connection?.idle) connection.pump();
      }
      if (more) setTimeout(tick, 1);
    };
    tick();
  });
  for (const connection of connections) connection.close();
  return summarizeOutcomes(outcomes, options);
}
