import { Alert } from 'antd';
import type { ApolloError } from '@apollo/client';
import { useI18n } from '../i18n/i18n.tsx';

/** A request that failed as a whole (401, 400, 503): its code and reason, never a blank page. */
export function QueryError({ error }: { error: ApolloError | undefined }) {
  const { t } = useI18n();
  // Errors with a path are shown in place by the page; here only failures of the whole request.
  if (!error || (!error.networkError && error.graphQLErrors.every((graphQLError) => graphQLError.path !== undefined)))
    return null;
  const network = error.networkError as
    | (Error & {
        statusCode?: number;
        result?: { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      })
    | null;
  const first = network?.result?.errors?.[0] ?? error.graphQLErrors[0];
  const code = first?.extensions?.code ?? network?.statusCode ?? '';
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={`${t('error')} ${String(code)}`}
      description={first?.message ?? error.message}
    />
  );
}
