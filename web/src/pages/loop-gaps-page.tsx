/** Placeholder until this page is built. */
export function LoopGapsPage() {
  return <p>…</p>;
}
