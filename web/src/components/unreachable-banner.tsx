import { Alert } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';

/** Names each agency system the answer could not reach, above everything it left out. */
export function UnreachableBanner({ systems }: { systems: readonly string[] }) {
  const { t } = useI18n();
  if (systems.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="unreachable-banner"
      message={`${t('unreachable')} ${systems.map((system) => t(`system.${system}`)).join('、')}`}
    />
  );
}
