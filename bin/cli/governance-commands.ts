import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import {
  archaeology,
  writeSnapshot,
} from '../../shared/domain/archaeology/archaeology.js';
import {
  initChain,
  verifyChain,
} from '../../shared/domain/audit/hash-chain.js';
import {
  EXPORT_FORMATS,
  type ExportFormat,
} from '../../shared/domain/export/decision-formats.js';
import {
  type ExportSummary,
  exportDecisions,
} from '../../shared/domain/export/export-decisions.js';
import { getProvenance } from '../../shared/domain/provenance/record-provenance.js';
import {
  formatVerification,
  verifyProvenance,
} from '../../shared/domain/provenance/verify-provenance.js';
import {
  type CliContext,
  type Command,
  compact,
  need,
  opt,
  optInt,
  withGit,
} from './cli-context.js';

/**
 * A command result printed as it is (not as JSON), with its exit code:
 * `bin/converge.ts` writes `text` to stdout and exits with `exitCode`.
 */
export class TextOutput {
  constructor(
    readonly text: string,
    readonly exitCode = 0,
  ) {}
}

/** The CLI context plus the words after the command name (`FILE`). */
export type GovernanceContext = CliContext & { args?: readonly string[] };

type GovernanceCommand = (ctx: GovernanceContext) => Promise<unknown>;

/** Where the engine's coupling source looks (shared/runtime/coupling.ts). */
const SNAPSHOT_PATH = ['.converge', 'archaeology_snapshot.json'] as const;

function formatFlag(ctx: GovernanceContext): ExportFormat {
  const value = opt(ctx.flags, 'format') ?? 'jsonl';
  const format = EXPORT_FORMATS.find((f) => f === value);
  if (!format) throw new Error(`--format must be one of ${EXPORT_FORMATS}`);
  return format;
}

/** A chunk writer on `out` that waits on the stream's back-pressure. */
function writerOf(out: Writable): (chunk: string) => Promise<void> {
  return async (chunk) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
}

/** Streams the export into `path` (created with its folder). */
async function toFile(
  path: string,
  run: (write: (chunk: string) => Promise<void>) => Promise<ExportSummary>,
): Promise<ExportSummary> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  const out = createWriteStream(path, { encoding: 'utf8' });
  try {
    const summary = await run(writerOf(out));
    out.end();
    await once(out, 'finish');
    return summary;
  } catch (error) {
    out.destroy();
    throw error;
  }
}

/**
 * `export decisions [--format jsonl|csv] [--output FILE] [--tenant-id]`:
 * streamed to the file (printing the summary) or to stdout (the data only).
 */
const exportCommand: GovernanceCommand = async (ctx) => {
  const input = {
    tenantId: opt(ctx.flags, 'tenant-id') ?? null,
    format: formatFlag(ctx),
    actor: ctx.actor.actor,
  };
  const output = opt(ctx.flags, 'output');
  if (output === undefined) {
    await exportDecisions(ctx.deps, input, writerOf(process.stdout));
    return new TextOutput('');
  }
  const summary = await toFile(output, (write) =>
    exportDecisions(ctx.deps, input, write),
  );
  return { ...summary, output: resolve(output) };
};

/** `archaeology [--max-commits 400] [--top 20] [--write-snapshot]`. */
const archaeologyCommand: GovernanceCommand = async ({ deps, flags }) => {
  const report = await archaeology(
    deps,
    compact({
      maxCommits: optInt(flags, 'max-commits'),
      top: optInt(flags, 'top'),
    }),
  );
  if (flags['write-snapshot'] !== true) return report;
  const path = join(resolve(deps.env.CONVERGE_REPO_DIR), ...SNAPSHOT_PATH);
  await mkdir(dirname(path), { recursive: true });
  const snapshot = writeSnapshot(report);
  await writeFile(path, `${JSON.stringify(snapshot, null, 2)}\n`);
  return { ...report, snapshot_path: path };
};

/** `audit verify-chain [--tenant-id]`: exit code 1 on tampering. */
const verifyChainCommand: GovernanceCommand = async ({ deps, flags }) => {
  const result = await verifyChain(deps, opt(flags, 'tenant-id') ?? null);
  return new TextOutput(
    `${JSON.stringify(result, null, 2)}\n`,
    result.ok ? 0 : 1,
  );
};

/** `provenance verify FILE [--verbose]`: one line per claim; 1 on a FAIL. */
const verifyProvenanceCommand: GovernanceCommand = async (ctx) => {
  const file = ctx.args?.[0] ?? opt(ctx.flags, 'file');
  if (file === undefined) {
    throw new Error('usage: provenance verify FILE [--verbose]');
  }
  const record: unknown = JSON.parse(await readFile(file, 'utf8'));
  const result = await verifyProvenance(ctx.deps, record);
  const text = formatVerification(result, {
    verbose: ctx.flags.verbose === true,
  });
  return new TextOutput(text, result.ok ? 0 : 1);
};

/**
 * `export decisions`, `archaeology`, `audit init-chain|verify-chain`,
 * `provenance show|verify`.
 */
export const governanceCommands: Record<string, Command> = {
  'export decisions': exportCommand,
  archaeology: withGit(archaeologyCommand),
  'audit init-chain': async ({ deps, flags }) =>
    initChain(deps, opt(flags, 'tenant-id') ?? null),
  'audit verify-chain': verifyChainCommand,
  'provenance show': async ({ deps, actor, flags }) =>
    getProvenance(deps, actor, need(flags, 'intent-id')),
  'provenance verify': verifyProvenanceCommand,
};
