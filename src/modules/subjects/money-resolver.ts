import { fenToWanYuan, fenToYuan } from '../../domain/money.ts';
import type { MoneyResolvers } from '../../generated/graphql.ts';

export const Money: MoneyResolvers = {
  fen: (fen) => String(fen),
  yuan: (fen) => fenToYuan(fen),
  wanYuan: (fen) => fenToWanYuan(fen),
};
