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
import { agentCommands } from './cli/agent-commands.js';
import type { Command, Flags } from './cli/cli-context.js';
import { complianceCommands } from './cli/compliance-commands.js';
import {
  type GovernanceContext,
  governanceCommands,
  TextOutput,
} from './cli/governance-commands.js';
import { intentCommands } from './cli/intent-commands.js';
import { policyCommands } from './cli/policy-commands.js';
import { queueCommands } from './cli/queue-commands.js';
import { pureCommands, riskCommands } from './cli/risk-commands.js';

const COMMANDS: Record<string, Command> = {
  ...intentCommands,
  ...queueCommands,
  ...riskCommands,
  ...adminCommands,
  ...governanceCommands,
  ...policyCommands,
  ...agentCommands,
  ...complianceCommands,
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
  'apply',
  'dry-run',
  'fail-on-alert',
];

const STRING_FLAGS = [
  'db',
  'input',
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
  'mode',
  'max-risk-score',
  'max-damage-score',
  'max-propagation-score',
  'enforce-ratio',
  'atl',
  'max-blast-severity',
  'min-test-coverage',
  'allow-actions',
  'require-human-approval',
  'require-compliance-pass',
  'require-dual-approval-on-critical',
  'action',
  'human-approvals',
  'test-coverage',
  'min-mergeable-rate',
  'max-conflict-rate',
  'max-retries-total',
  'max-queue-tracked',
  'retention-days',
  'days',
  'horizon-days',
];

function usage(): string {
  const names = [...Object.keys(COMMANDS), ...Object.keys(pureCommands)].sort();
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

function resolve(words: string[]): string {
  const two = words.slice(0, 2).join(' ');
  if (COMMANDS[two] || pureCommands[two]) return two;
  return words[0] ?? '';
}

function printError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  console.log(JSON.stringify({ error: message }, null, 2));
  return 1;
}

function print(output: unknown): number {
  if (output instanceof TextOutput) {
    process.stdout.write(output.text);
    return output.exitCode;
  }
  console.log(JSON.stringify(output, null, 2));
  return 0;
}

async function runWithDeps(
  command: Command,
  name: string,
  words: string[],
  flags: Flags,
): Promise<number> {
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
    return print(await command(ctx));
  } catch (error) {
    return printError(error);
  } finally {
    await deps.store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { words, flags } = parse(argv);
  const name = resolve(words);
  const pure = pureCommands[name];
  const command = COMMANDS[name];
  if ((!pure && !command) || flags.help === true) {
    console.log(usage());
    return flags.help === true ? 0 : 1;
  }
  if (pure) return pure(flags).then(print, printError);
  return command ? runWithDeps(command, name, words, flags) : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
