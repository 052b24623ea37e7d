/** Placeholder until this page is built. */
export function PermitCheckPage() {
  return <p>…</p>;
}
