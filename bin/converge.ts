/**
 * The `converge` CLI: the same domain calls as the API, on the local store.
 * Output is JSON; exit code 1 on an error. A command may return a
 * `TextOutput` instead, printed as is with its own exit code.
 */
import './local-env.js';
import { parseArgs } from 'node:util';
import { parseEnv } from '../shared/config/env.js';
import { createDeps } from '../shared/runtime/create-deps.js';
import { adminCommands } from './cli/admin-commands.js';
import type { Command, Flags } from './cli/cli-context.js';
import {
  type GovernanceContext,
  governanceCommands,
  TextOutput,
} from './cli/governance-commands.js';
import { intentCommands } from './cli/intent-commands.js';
import { queueCommands } from './cli/queue-commands.js';
import { riskCommands } from './cli/risk-commands.js';

const COMMANDS: Record<string, Command> = {
  ...intentCommands,
  ...queueCommands,
  ...riskCommands,
  ...adminCommands,
  ...governanceCommands,
};

const BOOLEAN_FLAGS = [
  'auto-confirm',
  'skip-checks',
  'use-last-simulation',
  'only-actionable',
  'clear-lock',
  'force',
  'help',
  'write-snapshot',
  'verbose',
];

const STRING_FLAGS = [
  'db',
  'repo',
  'actor',
  'file',
  'intent-id',
  'source',
  'from-branch',
  'target',
  'risk-level',
  'priority',
  'tenant-id',
  'status',
  'limit',
  'merged-commit',
  'max-retries',
  'min-retries',
  'set-status',
  'role',
  'actor-name',
  'scopes',
  'expires-at',
  'key-id',
  'type',
  'agent-id',
  'since',
  'format',
  'output',
  'max-commits',
  'top',
];

function usage(): string {
  const names = Object.keys(COMMANDS).sort();
  return [
    'usage: converge [--db PATH] [--repo DIR] [--actor NAME] <command> [--flags]',
    '',
    'commands:',
    ...names.map((n) => `  ${n}`),
  ].join('\n');
}

function parse(argv: string[]): { words: string[]; flags: Flags } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: Object.fromEntries([
      ...BOOLEAN_FLAGS.map((f) => [f, { type: 'boolean' as const }]),
      ...STRING_FLAGS.map((f) => [f, { type: 'string' as const }]),
    ]),
  });
  return { words: positionals, flags: values };
}

async function main(argv: string[]): Promise<number> {
  const { words, flags } = parse(argv);
  const name = COMMANDS[words.slice(0, 2).join(' ')]
    ? words.slice(0, 2).join(' ')
    : (words[0] ?? '');
  const command = COMMANDS[name];
  if (!command || flags.help === true) {
    console.log(usage());
    return command || flags.help === true ? 0 : 1;
  }
  const env = parseEnv({
    ...process.env,
    ...(typeof flags.db === 'string' ? { CONVERGE_DB_PATH: flags.db } : {}),
    ...(typeof flags.repo === 'string'
      ? { CONVERGE_REPO_DIR: flags.repo }
      : {}),
  });
  const deps = await createDeps(env);
  try {
    const actorName = typeof flags.actor === 'string' ? flags.actor : 'cli';
    const actor = {
      actor: actorName,
      tenantId: null,
      role: 'admin' as const,
      scopes: [],
      keyId: 'cli',
    };
    const args = words.slice(name.split(' ').length);
    const ctx: GovernanceContext = { deps, actor, flags, args };
    const output = await command(ctx);
    if (output instanceof TextOutput) {
      process.stdout.write(output.text);
      return output.exitCode;
    }
    console.log(JSON.stringify(output, null, 2));
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(JSON.stringify({ error: message }, null, 2));
    return 1;
  } finally {
    await deps.store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
