import { type Clock } from '../../shared/clock.js';
import { type EngineDb } from '../../workflows/engine/db.types.js';
import { type WorkflowRow } from '../../workflows/engine/engine.types.js';
import { SigningTokens } from './signing-token.js';
import { LINK_PARTIES, type TransferParty } from './transfer.model.js';
import * as repo from './transfer.repository.js';

const DEFAULT_LINK_TTL_MS = 14 * 86_400_000;

/** The single-use signing links of a transfer's form (R-TRF-5): issued, re-derived, addressed. */
export class TransferLinks {
  private readonly tokens: SigningTokens;
  private readonly ttlMs: number;

  constructor(
    private readonly deps: {
      db: EngineDb;
      clock: Clock;
      /** Absolute base URL of this API (signing links, the PDF URL). */
      publicUrl: string;
      /** Key material of the signing-link tokens. */
      signingSecret: string | Uint8Array;
      /** Lifetime of a signing link (default 14 days). */
      signingLinkTtlMs?: number;
    },
  ) {
    this.tokens = new SigningTokens(deps.signingSecret);
    this.ttlMs = deps.signingLinkTtlMs ?? DEFAULT_LINK_TTL_MS;
  }

  /** A new link row for a party (its token is derived from the nonce, never stored). */
  newLink(row: WorkflowRow, party: TransferParty): repo.SigningLinkRow {
    const now = this.deps.clock.now();
    const nonce = SigningTokens.newNonce();
    return {
      tokenHash: SigningTokens.hash(this.tokens.token(row.id, party, nonce)),
      workflowId: row.id,
      party,
      nonce,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
      usedAt: null,
    };
  }

  /** One link per party that signs through a link, for a newly planned transfer. */
  async issue(row: WorkflowRow): Promise<void> {
    await repo.insertSigningLinks(
      this.deps.db,
      LINK_PARTIES.map((party) => this.newLink(row, party)),
    );
  }

  /** The URL of a stored link (the signing page takes the token in its query). */
  url(link: Pick<repo.SigningLinkRow, 'workflowId' | 'party' | 'nonce'>): string {
    const token = this.tokens.token(link.workflowId, link.party, link.nonce);
    return `${this.base()}/transfer-signing?token=${token}`;
  }

  pdfUrl(row: Pick<WorkflowRow, 'id'>): string {
    return `${this.base()}/transfer-forms/${row.id}.pdf`;
  }

  private base(): string {
    return this.deps.publicUrl.replace(/\/+$/, '');
  }
}
