/** Placeholder until this page is built. */
export function TransfersPage({ id }: { id: string | undefined }) {
  return <p>{id ?? '…'}</p>;
}
