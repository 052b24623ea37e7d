import { MAX_IDENTIFIER_LENGTH, type AuthConfig, type Principal } from '../../auth/index.ts';
import { BadUserInputError } from '../../platform/errors.ts';
import type { RevocationList } from './revocation-list.ts';
import type { RevokedTokenStore } from './revoked-token-store.ts';

export type RevocationOutcome = 'REVOKED' | 'ALREADY_REVOKED' | 'NOT_REVOCABLE';

export interface RevocationResult {
  outcome: RevocationOutcome;
  issuer: string;
  jti: string | null;
  expiresAt: Date;
}

/** As a token's `jti` is accepted: a longer one is refused at sign-in, so none is revoked. */
const MAX_JTI_LENGTH = MAX_IDENTIFIER_LENGTH;

/**
 * Revoking tokens: written to the store (for every instance, within its refresh) and to this
 * instance's list at once.
 */
export class TokenRevocations {
  constructor(
    private readonly store: RevokedTokenStore,
    readonly list: RevocationList,
    private readonly auth: Pick<AuthConfig, 'issuers' | 'maxTokenLifetimeSeconds' | 'clockToleranceSeconds'>,
  ) {}

  /** The request's own token (sign-out); one without a `jti` cannot be revoked on its own. */
  async revokeOwn(principal: Principal, actor: string): Promise<RevocationResult> {
    const token = principal.token;
    if (!token) throw new Error('revokeOwn: a verified principal names its token');
    const { issuer } = principal;
    if (token.jti === null) return { outcome: 'NOT_REVOCABLE', issuer, jti: null, expiresAt: token.expiresAt };
    return this.revoke({ issuer, jti: token.jti, expiresAt: token.expiresAt, revokedBy: actor });
  }

  /**
   * A token named by an administrator, whose expiry the gateway does not know: its revocation is
   * kept for as long as a token of that issuer accepted now could still live.
   */
  async revokeById(issuer: string, jti: string, actor: string): Promise<RevocationResult> {
    if (!this.auth.issuers.some((trusted) => trusted.issuer === issuer)) {
      throw new BadUserInputError(
        `issuer: ${JSON.stringify(issuer.slice(0, 200))} is not an issuer this gateway trusts, so none of its tokens is accepted to revoke.`,
        { argument: 'issuer', reason: 'unknown_issuer' },
      );
    }
    if (jti === '' || [...jti].length > MAX_JTI_LENGTH) {
      throw new BadUserInputError(`jti: give the token's "jti" claim as it is, 1 to ${MAX_JTI_LENGTH} characters.`, {
        argument: 'jti',
        reason: jti === '' ? 'empty' : 'too_long',
      });
    }
    const longest = (this.auth.maxTokenLifetimeSeconds + this.auth.clockToleranceSeconds) * 1000;
    return this.revoke({ issuer, jti, expiresAt: new Date(Date.now() + longest), revokedBy: actor });
  }

  private async revoke(revocation: {
    issuer: string;
    jti: string;
    expiresAt: Date;
    revokedBy: string;
  }): Promise<RevocationResult> {
    const first = await this.store.revoke(revocation);
    this.list.add(revocation.issuer, revocation.jti);
    const { issuer, jti, expiresAt } = revocation;
    return { outcome: first ? 'REVOKED' : 'ALREADY_REVOKED', issuer, jti, expiresAt };
  }
}
