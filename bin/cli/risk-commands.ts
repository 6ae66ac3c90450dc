import { readFile } from 'node:fs/promises';
import { type Command, type Flags, opt } from './cli-context.js';
import { evaluateRiskInput, RiskEvalInput } from './risk-input.js';

export async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    throw new Error(`cannot read ${path}: ${code ?? String(error)}`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * `risk eval --input FILE`: the pure risk model and the default policy
 * verdict for a described change; no store, no git.
 */
export async function riskEvalInput(flags: Flags): Promise<unknown> {
  const path = opt(flags, 'input') ?? opt(flags, 'file');
  if (!path) throw new Error('--input FILE is required');
  const parsed = RiskEvalInput.safeParse(await readJson(path));
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new Error(`invalid risk input: ${issues.join('; ')}`);
  }
  return evaluateRiskInput(parsed.data);
}

/** Commands that need no store and no repository. */
export const pureCommands: Record<string, (flags: Flags) => Promise<unknown>> =
  {
    'risk eval': riskEvalInput,
  };

/** Risk commands that use the store (see policy-commands.ts). */
export const riskCommands: Record<string, Command> = {};
