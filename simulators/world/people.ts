import type { Random } from './random.ts';

const SURNAMES = '林陈郑张李王黄周吴潘金叶蔡杨朱胡谢孙池徐'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志宏海燕飞鹏斌晓东'.split('');
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function personName(rng: Random): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

export function mobilePhone(rng: Random): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.chars('0123456789', 9)}`;
}

/** An 18-digit resident identity number from 瑞安, with a valid GB 11643 check character. */
export function residentIdNumber(rng: Random): string {
  const year = rng.int(1955, 2000);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const day = String(rng.int(1, 28)).padStart(2, '0');
  const first17 = `330381${year}${month}${day}${rng.chars('0123456789', 3)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return first17 + ID_CHECK[sum % 11]!;
}
