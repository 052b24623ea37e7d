import { EnterpriseSearch } from './enterprise-search.tsx';
import { LifecycleView } from './lifecycle-view.tsx';

/** Search on top; the lifecycle of the chosen enterprise below. */
export function EnterprisePage({ uscc }: { uscc: string | undefined }) {
  return (
    <>
      <EnterpriseSearch />
      {uscc && <LifecycleView uscc={uscc} />}
    </>
  );
}
