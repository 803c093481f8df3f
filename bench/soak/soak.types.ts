// The soak's options and reports (bench/soak/soak.ts runs it).

export interface SoakOptions {
  seed: number;
  /** Keep starting rounds (each a fresh demo) until this much wall time has passed; at least one. */
  durationMs: number;
  /** Chance of a kill at each journal point during the chaos phase. */
  killProbability?: number;
  /** Most kills per round. */
  maxKills?: number;
  /** Fault intensity (probability per Partner Center request of each fault kind). */
  faultProbability?: number;
  /** Emulator preset of each round (default `demo`; `demo-today` exercises the transfer path). */
  scenario?: string;
  log?: (line: string) => void;
}

export interface WorkflowOutcome {
  kind: string;
  id: string;
  status: string;
  detail: string;
}

export interface RoundReport {
  round: number;
  emulatorSeed: number;
  kills: number;
  faultsFired: number;
  requests: number;
  clockSteps: number;
  workflows: WorkflowOutcome[];
  /** Invariant checks made at the end (subscriptions, lines, request ids). */
  checks: number;
  violations: string[];
  wallMs: number;
}

export interface SoakReport {
  seed: number;
  rounds: RoundReport[];
  violations: string[];
  ok: boolean;
}

/** A workflow the soak started, and the token of the organization that reads it. */
export interface Started {
  kind: 'TENANT_CONSOLIDATION' | 'SUBSCRIPTION_TRANSFER' | 'CHANNEL_MOVE' | 'AZURE_PLAN_TRANSITION';
  id: string;
  token: string;
}
