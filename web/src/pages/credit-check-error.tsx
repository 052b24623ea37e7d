import { Alert } from 'antd';
import type { ApolloError } from '@apollo/client';
import { useI18n } from '../i18n/i18n.tsx';

interface ErrorBody {
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * Why no verdict was given, for the whole batch: a bad request (BAD_USER_INPUT with its reason,
 * e.g. UNKNOWN_SUBJECT naming which request) comes back with a path, an agency down as HTTP 503;
 * both are shown here, since no applicant's card may look checked.
 */
export function CreditCheckError({ error }: { error: ApolloError | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  const network = error.networkError as (Error & { statusCode?: number; result?: { errors?: ErrorBody[] } }) | null;
  const first: ErrorBody | undefined = network?.result?.errors?.[0] ?? error.graphQLErrors[0];
  const code = first?.extensions?.code ?? network?.statusCode ?? '';
  const reason = first?.extensions?.reason;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="credit-check-error"
      message={`${t('creditCheck')}: ${t('error')} ${String(code)}${typeof reason === 'string' ? ` (${reason})` : ''}`}
      description={first?.message ?? error.message}
    />
  );
}
