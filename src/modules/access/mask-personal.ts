/**
 * Masks personal information for callers without a grant that names it (PIPL minimum
 * necessity): enough to recognise a value the caller already holds, never enough to learn it.
 * `330381198001011234` → `3303**********1234`; `13800001234` → `138****1234`; `张三` → `张*`.
 */
export function maskPersonal(value: string): string {
  if (/^\d{17}[\dXx]$/.test(value) || /^\d{15}$/.test(value))
    return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
  if (/^1\d{10}$/.test(value)) return `${value.slice(0, 3)}****${value.slice(-4)}`;
  const chars = [...value];
  if (chars.length <= 1) return '*';
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
