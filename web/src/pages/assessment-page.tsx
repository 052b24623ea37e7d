/** Placeholder until this page is built. */
export function AssessmentPage() {
  return <p>…</p>;
}
