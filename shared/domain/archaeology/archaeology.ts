/**
 * Repository archaeology (reference §7 "archaeology"): hotspots, co-change
 * coupling, authors and the bus factor, from the last commits of `HEAD`.
 */
import type { Clock } from '../../ports/clock.js';
import type { CoChangePair, CommitLogEntry, Scm } from '../../ports/scm.js';
import { ValidationError } from '../errors.js';

/** A file and how many commits changed it. */
export interface Hotspot {
  file: string;
  changes: number;
}

/** An author, their commits and the distinct files they touched. */
export interface AuthorStats {
  author: string;
  commits: number;
  files: number;
}

/** The archaeology report. */
export interface ArchaeologyReport {
  generated_at: string;
  /** Commits read (at most `max_commits`). */
  commits: number;
  max_commits: number;
  hotspots: Hotspot[];
  /** Pairs changed together at least twice: the top 50. */
  coupling: CoChangePair[];
  /** Most commits first. */
  authors: AuthorStats[];
  /** Authors with at least 5% of the commits; at least 1. */
  bus_factor: number;
}

/** The `.converge/archaeology_snapshot.json` document (risk coupling). */
export interface ArchaeologySnapshot {
  generated_at: string;
  commits: number;
  coupling: CoChangePair[];
  hotspots: Hotspot[];
  authors: AuthorStats[];
  bus_factor: number;
}

/** Options of the analysis; defaults are the reference's. */
export interface ArchaeologyOptions {
  /** Commits to read (default 400). */
  maxCommits?: number;
  /** Hotspots to keep (default 20). */
  top?: number;
}

/** Commits read by default (the reference's `--max-commits`). */
export const DEFAULT_MAX_COMMITS = 400;
/** Hotspots kept by default (the reference's `--top`). */
export const DEFAULT_TOP = 20;
const COUPLING_MIN = 2;
const COUPLING_TOP = 50;
const BUS_FACTOR_SHARE = 0.05;
/** Bigger commits (vendoring, mass renames) say nothing about coupling. */
const COUPLING_MAX_FILES = 500;

function byCountThenName<T>(
  count: (x: T) => number,
  name: (x: T) => string,
): (x: T, y: T) => number {
  return (x, y) => {
    const diff = count(y) - count(x);
    if (diff !== 0) return diff;
    const [a, b] = [name(x), name(y)];
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

function hotspotsOf(commits: readonly CommitLogEntry[], top: number) {
  const changes = new Map<string, number>();
  for (const commit of commits) {
    for (const file of new Set(commit.files)) {
      changes.set(file, (changes.get(file) ?? 0) + 1);
    }
  }
  return [...changes]
    .map(([file, n]) => ({ file, changes: n }))
    .sort(
      byCountThenName(
        (h) => h.changes,
        (h) => h.file,
      ),
    )
    .slice(0, top);
}

function couplingOf(commits: readonly CommitLogEntry[]): CoChangePair[] {
  const counts = new Map<string, CoChangePair>();
  for (const commit of commits) {
    const files = [...new Set(commit.files)].sort();
    if (files.length > COUPLING_MAX_FILES) continue;
    for (let i = 0; i < files.length; i += 1) {
      for (let j = i + 1; j < files.length; j += 1) {
        const a = files[i] ?? '';
        const b = files[j] ?? '';
        const key = `${a}\0${b}`;
        const pair = counts.get(key) ?? { a, b, count: 0 };
        counts.set(key, { a, b, count: pair.count + 1 });
      }
    }
  }
  return [...counts.values()]
    .filter((p) => p.count >= COUPLING_MIN)
    .sort(
      byCountThenName(
        (p) => p.count,
        (p) => `${p.a}\0${p.b}`,
      ),
    )
    .slice(0, COUPLING_TOP);
}

function authorsOf(commits: readonly CommitLogEntry[]): AuthorStats[] {
  const stats = new Map<string, { commits: number; files: Set<string> }>();
  for (const commit of commits) {
    const entry = stats.get(commit.author) ?? { commits: 0, files: new Set() };
    entry.commits += 1;
    for (const file of commit.files) entry.files.add(file);
    stats.set(commit.author, entry);
  }
  return [...stats]
    .map(([author, s]) => ({ author, commits: s.commits, files: s.files.size }))
    .sort(
      byCountThenName(
        (a) => a.commits,
        (a) => a.author,
      ),
    );
}

/**
 * The report of a commit list (newest first, as `Scm.commitLog` gives it).
 * Pure.
 * @example
 * analyzeHistory(await scm.commitLog(400), { top: 20 }, clock.nowIso()).bus_factor
 */
export function analyzeHistory(
  commits: readonly CommitLogEntry[],
  options: { top: number; maxCommits?: number },
  generatedAt: string,
): ArchaeologyReport {
  const authors = authorsOf(commits);
  const major = authors.filter(
    (a) => a.commits >= BUS_FACTOR_SHARE * commits.length,
  ).length;
  return {
    generated_at: generatedAt,
    commits: commits.length,
    max_commits: options.maxCommits ?? commits.length,
    hotspots: hotspotsOf(commits, options.top),
    coupling: couplingOf(commits),
    authors,
    bus_factor: Math.max(1, major),
  };
}

function positive(value: number, name: string): number {
  if (Number.isSafeInteger(value) && value >= 1) return value;
  throw new ValidationError(`${name} must be a positive integer`, [
    { path: name, message: 'must be a positive integer' },
  ]);
}

/**
 * Reads the last `maxCommits` commits of `HEAD` and analyses them. A read:
 * no event, no file (the CLI writes the snapshot).
 * @throws ValidationError when maxCommits or top is not a positive integer.
 * @example
 * const report = await archaeology(deps, { maxCommits: 400, top: 20 });
 */
export async function archaeology(
  deps: { scm: Scm; clock: Clock },
  options: ArchaeologyOptions = {},
): Promise<ArchaeologyReport> {
  const maxCommits = positive(
    options.maxCommits ?? DEFAULT_MAX_COMMITS,
    'max_commits',
  );
  const top = positive(options.top ?? DEFAULT_TOP, 'top');
  const commits = await deps.scm.commitLog(maxCommits);
  return analyzeHistory(commits, { top, maxCommits }, deps.clock.nowIso());
}

/**
 * The snapshot document of a report, the shape
 * `shared/runtime/coupling.ts` reads (its `coupling` field feeds risk).
 * @example
 * const text = JSON.stringify(writeSnapshot(report), null, 2);
 */
export function writeSnapshot(report: ArchaeologyReport): ArchaeologySnapshot {
  return {
    generated_at: report.generated_at,
    commits: report.commits,
    coupling: report.coupling.map((p) => ({ a: p.a, b: p.b, count: p.count })),
    hotspots: report.hotspots.map((h) => ({ ...h })),
    authors: report.authors.map((a) => ({ ...a })),
    bus_factor: report.bus_factor,
  };
}
