import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRiskInput, RiskEvalInput } from '../../bin/cli/risk-input.js';

interface GoldenCase {
  name: string;
  input: Record<string, unknown>;
  expected: {
    entropicLoad: number;
    contextualValue: number;
    complexityDelta: number;
    pathDependence: number;
    riskScore: number;
    damageScore: number;
    propagationScore: number;
    containmentScore: number;
    graph: { nodes: number; edges: number; components: number };
    bombs: string[];
    policy: 'ALLOW' | 'BLOCK';
  };
}

const golden = JSON.parse(
  readFileSync(new URL('./risk-cases.json', import.meta.url), 'utf8'),
) as { defaults: Record<string, unknown>; cases: GoldenCase[] };

/** A golden case in the `converge risk eval --input` file format. */
function cliInput(c: GoldenCase) {
  const i = { ...golden.defaults, ...c.input } as Record<string, unknown>;
  const conflicts = (i.conflicts as string[]) ?? [];
  return {
    intent: {
      id: i.intentId,
      source: i.source,
      target: i.target,
      riskLevel: i.riskLevel,
      dependencies: i.dependencies,
      scopeHint: i.scopeHints,
    },
    simulation: {
      mergeable: conflicts.length === 0,
      conflicts,
      filesChanged: i.filesChanged,
    },
  };
}

describe('converge risk eval --input: golden cases of the reference §9', () => {
  for (const c of golden.cases) {
    it(`case ${c.name} comes out identical, every column`, () => {
      // Act
      const out = evaluateRiskInput(RiskEvalInput.parse(cliInput(c)));
      // Assess
      const e = c.expected;
      expect(out.signals).toEqual({
        entropicLoad: e.entropicLoad,
        contextualValue: e.contextualValue,
        complexityDelta: e.complexityDelta,
        pathDependence: e.pathDependence,
      });
      expect([
        out.riskScore,
        out.damageScore,
        out.propagationScore,
        out.containmentScore,
      ]).toEqual([
        e.riskScore,
        e.damageScore,
        e.propagationScore,
        e.containmentScore,
      ]);
      expect(out.graph).toMatchObject(e.graph);
      expect(out.bombs.map((b) => b.type)).toEqual(e.bombs);
      expect(out.policy.verdict).toBe(e.policy);
    });
  }

  it('runs as a command with no store and no repository', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'converge-cli-'));
    const file = join(dir, 'case.json');
    const caseA = golden.cases.find((c) => c.name === 'A');
    if (!caseA) throw new Error('golden case A missing');
    writeFileSync(file, JSON.stringify(cliInput(caseA)));
    try {
      // Act
      const stdout = execFileSync(
        process.execPath,
        [
          join(process.cwd(), 'bin', 'converge.mjs'),
          'risk',
          'eval',
          '--input',
          file,
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      // Assess
      const out = JSON.parse(stdout) as {
        riskScore: number;
        policy: { verdict: string };
      };
      expect(out.riskScore).toBe(23.6);
      expect(out.policy.verdict).toBe('ALLOW');
      expect(() =>
        readFileSync(join(dir, '.converge', 'converge.db')),
      ).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
