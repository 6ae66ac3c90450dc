import type { JsonObject } from '../intent.js';
import {
  type Bomb,
  buildDiagnostics,
  type Diagnostic,
  type Finding,
  type RiskSignals,
  type Severity,
} from '../risk/index.js';
import {
  numberField,
  objectField,
  objectList,
  stringField,
  stringList,
} from './payload-fields.js';

/** The scores of a stored `risk.evaluated` payload, read defensively. */
export interface RiskScores {
  riskScore: number;
  damageScore: number;
  entropyScore: number;
  propagationScore: number;
  containmentScore: number;
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const FINDING_CODES: readonly Finding['code'][] = [
  'semantic.large_change',
  'semantic.dependency_spread',
  'semantic.core_target',
  'semantic.merge_conflict',
];

/** The five scores of a `risk.evaluated` payload (0 when missing). */
export function riskScores(payload: JsonObject): RiskScores {
  return {
    riskScore: numberField(payload, 'risk_score'),
    damageScore: numberField(payload, 'damage_score'),
    entropyScore: numberField(payload, 'entropy_score'),
    propagationScore: numberField(payload, 'propagation_score'),
    containmentScore: numberField(payload, 'containment_score', 1),
  };
}

function readSignals(payload: JsonObject): RiskSignals | undefined {
  if (!('signals' in payload)) return undefined;
  const s = objectField(payload, 'signals');
  return {
    entropicLoad: numberField(s, 'entropic_load'),
    contextualValue: numberField(s, 'contextual_value'),
    complexityDelta: numberField(s, 'complexity_delta'),
    pathDependence: numberField(s, 'path_dependence'),
  };
}

function readBomb(raw: JsonObject): Bomb | null {
  const message = stringField(raw, 'message') ?? '';
  switch (raw.type) {
    case 'cascade':
      return {
        type: 'cascade',
        severity: 'high',
        message,
        triggerNodes: stringList(raw, 'trigger_nodes'),
        blastRadius: numberField(raw, 'blast_radius'),
      };
    case 'spiral': {
      const cycles = Array.isArray(raw.cycles) ? raw.cycles : [];
      return {
        type: 'spiral',
        severity: 'medium',
        message,
        cycles: cycles.map((c) => stringList({ c }, 'c')),
      };
    }
    case 'thermal_death':
      return {
        type: 'thermal_death',
        severity: 'critical',
        message,
        indicators: numberField(raw, 'indicators'),
      };
    default:
      return null;
  }
}

function readFinding(raw: JsonObject): Finding | null {
  const code = FINDING_CODES.find((c) => c === raw.code);
  const severity = SEVERITIES.find((s) => s === raw.severity);
  if (code === undefined || severity === undefined) return null;
  return { code, severity, message: stringField(raw, 'message') ?? '' };
}

/** The bombs of a `risk.evaluated` payload, back in the risk model's shape. */
export function riskBombs(payload: JsonObject): Bomb[] {
  return objectList(payload, 'bombs')
    .map(readBomb)
    .filter((b): b is Bomb => b !== null);
}

/** The findings of a `risk.evaluated` payload. */
export function riskFindings(payload: JsonObject): Finding[] {
  return objectList(payload, 'findings')
    .map(readFinding)
    .filter((f): f is Finding => f !== null);
}

/**
 * The full diagnostics of a stored evaluation: thresholds, signals, the
 * merge conflict (from the simulation payload), bombs and findings. The
 * original rebuilt them without signals or bombs; we keep them all.
 */
export function diagnosticsOf(
  risk: JsonObject,
  simulation: JsonObject | null,
): Diagnostic[] {
  const scores = riskScores(risk);
  return buildDiagnostics({
    ...scores,
    signals: readSignals(risk),
    bombs: riskBombs(risk),
    findings: riskFindings(risk),
    mergeable: simulation === null || simulation.mergeable === true,
    conflicts: simulation === null ? [] : stringList(simulation, 'conflicts'),
  });
}
