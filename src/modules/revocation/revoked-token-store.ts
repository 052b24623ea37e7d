import type { PrismaClient } from '../../generated/prisma/client.ts';

export interface Revocation {
  issuer: string;
  jti: string;
  /** The token's own `exp`, or the latest it could be (an administrator's revocation by id). */
  expiresAt: Date;
  /** `subject@authorityCode` of whoever revoked it. */
  revokedBy: string;
}

/** The `revoked_token` table: one row per revoked token, kept until the token would have expired. */
export class RevokedTokenStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records a revocation; `false` when the token was revoked before (the first revocation stands,
   * its expiry pushed later if this one names a later one).
   */
  async revoke(revocation: Revocation): Promise<boolean> {
    const inserted = await this.prisma.revokedToken.createMany({ data: [revocation], skipDuplicates: true });
    if (inserted.count === 1) return true;
    await this.prisma.revokedToken.updateMany({
      where: { issuer: revocation.issuer, jti: revocation.jti, expiresAt: { lt: revocation.expiresAt } },
      data: { expiresAt: revocation.expiresAt },
    });
    return false;
  }

  /** Every revocation that still matters: of a token not yet past `after`. */
  async inForce(after: Date): Promise<Array<Pick<Revocation, 'issuer' | 'jti'>>> {
    return this.prisma.revokedToken.findMany({
      where: { expiresAt: { gt: after } },
      select: { issuer: true, jti: true },
    });
  }

  /** Deletes revocations of tokens expired before `before`; how many. */
  async purgeExpired(before: Date): Promise<number> {
    return (await this.prisma.revokedToken.deleteMany({ where: { expiresAt: { lte: before } } })).count;
  }
}
