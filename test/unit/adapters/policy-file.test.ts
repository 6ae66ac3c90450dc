import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyConfig } from '../../../shared/adapters/policy-file/load-policy-config.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  DEFAULT_POLICY_CONFIG,
  DEFAULT_PROFILES,
} from '../../../shared/domain/policy/index.js';

const REPO_DEFAULT_FILE = resolve('policy.default.json');

describe('loadPolicyConfig', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'converge-policy-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, content: unknown): Promise<string> {
    const file = join(dir, name);
    await mkdir(join(file, '..'), { recursive: true });
    const text =
      typeof content === 'string' ? content : JSON.stringify(content);
    await writeFile(file, text);
    return file;
  }

  it('returns the defaults when no file exists', async () => {
    // Act
    const loaded = await loadPolicyConfig({ dir, path: 'nonexistent.json' });

    // Assess
    expect(loaded).toEqual({ config: DEFAULT_POLICY_CONFIG, source: null });
  });

  it('keeps policy.default.json equal to the embedded defaults', async () => {
    // Act
    const loaded = await loadPolicyConfig({ dir, path: REPO_DEFAULT_FILE });

    // Assess
    expect(loaded.source).toBe(REPO_DEFAULT_FILE);
    expect(loaded.config).toEqual(DEFAULT_POLICY_CONFIG);
  });

  it('merges a partial file with the defaults', async () => {
    // Prepare
    await write('policy.json', { queue: { max_retries: 7 } });

    // Act
    const loaded = await loadPolicyConfig({ dir });

    // Assess
    expect(loaded.config.queue.max_retries).toBe(7);
    expect(loaded.config.profiles).toEqual(DEFAULT_PROFILES);
    expect(loaded.config.risk.max_risk_score).toBe(65);
  });

  it('reads an explicit path first, relative to the directory', async () => {
    // Prepare
    await write('custom.json', { risk: { max_risk_score: 90 } });
    await write('.converge/policy.json', { risk: { max_risk_score: 10 } });

    // Act
    const loaded = await loadPolicyConfig({ dir, path: 'custom.json' });

    // Assess
    expect(loaded.source).toBe(join(dir, 'custom.json'));
    expect(loaded.config.risk.max_risk_score).toBe(90);
  });

  it('uses only the first existing candidate, in the original order', async () => {
    // Prepare
    const first = await write('.converge/policy.json', {
      queue: { max_retries: 5 },
    });
    await write('policy.json', { queue: { default_target: 'develop' } });
    await write('policy.default.json', { queue: { max_retries: 9 } });

    // Act
    const loaded = await loadPolicyConfig({ dir });

    // Assess
    expect(loaded.source).toBe(first);
    expect(loaded.config.queue).toEqual({
      max_retries: 5,
      default_target: 'main',
    });
  });

  it('falls back to policy.default.json', async () => {
    // Prepare
    const file = await write('policy.default.json', {
      profiles: { critical: { blast_gate: true } },
    });

    // Act
    const loaded = await loadPolicyConfig({ dir });

    // Assess
    expect(loaded.source).toBe(file);
    expect(loaded.config.profiles.critical.blast_gate).toBe(true);
  });

  it('rejects a file that is not JSON', async () => {
    // Prepare
    await write('policy.json', '{ not json');

    // Act
    const loading = loadPolicyConfig({ dir });

    // Assess
    await expect(loading).rejects.toBeInstanceOf(ValidationError);
    await expect(loading).rejects.toThrow('not valid JSON');
  });

  it('rejects an out-of-range value, naming the file and field', async () => {
    // Prepare
    await write('policy.json', {
      profiles: { medium: { containment_min: 2 } },
    });

    // Act
    const loading = loadPolicyConfig({ dir });

    // Assess
    await expect(loading).rejects.toBeInstanceOf(ValidationError);
    await expect(loading).rejects.toThrow('profiles.medium.containment_min');
  });
});
