import { lazy, Suspense, useMemo } from 'react';
import type { ReactNode } from 'react';
import { ApolloProvider } from '@apollo/client';
import { Layout, Menu, Spin } from 'antd';
import { createClient } from './graphql/client.ts';
import { useI18n } from './i18n/i18n.tsx';
import { hrefOf, useRoute } from './router.ts';
import type { Route } from './router.ts';
import { useSession } from './session/session.tsx';
import { EnterprisePage } from './pages/enterprise-page.tsx';

// Pages with charts or spreadsheets load on first visit.
const LoopGapsPage = lazy(() => import('./pages/loop-gaps-page.tsx').then((m) => ({ default: m.LoopGapsPage })));
const AssessmentPage = lazy(() => import('./pages/assessment-page.tsx').then((m) => ({ default: m.AssessmentPage })));
const TransfersPage = lazy(() => import('./pages/transfers-page.tsx').then((m) => ({ default: m.TransfersPage })));
const PermitCheckPage = lazy(() =>
  import('./pages/permit-check-page.tsx').then((m) => ({ default: m.PermitCheckPage })),
);

/** Everything a signed-in person sees below the header: the menu and the current page. */
export function SignedInShell({ header }: { header: ReactNode }) {
  const session = useSession();
  const { t } = useI18n();
  const route = useRoute();
  // A new client per identity and matter: what may be seen changes with them, so nothing cached carries over.
  // A renewed token is the same identity: the link reads the current token at each request.
  const client = useMemo(
    () => createClient(session.headers),
    [session.preset, session.identity, session.signedIn, session.purpose],
  );

  const items: { key: Route['page']; label: string }[] = [
    { key: 'enterprise', label: t('enterprise') },
    { key: 'gaps', label: t('loopGaps') },
    { key: 'assessment', label: t('assessment') },
    { key: 'transfers', label: t('transfers') },
    { key: 'permit-check', label: t('permitCheck') },
  ];
  return (
    <ApolloProvider client={client}>
      <Layout style={{ minHeight: '100vh' }}>
        {header}
        <Layout>
          <Layout.Sider width={160} theme="light" breakpoint="lg" collapsedWidth={0}>
            <Menu
              mode="inline"
              selectedKeys={[route.page]}
              items={items.map((item) => ({
                key: item.key,
                label: <a href={hrefOf({ page: item.key } as Route)}>{item.label}</a>,
              }))}
            />
          </Layout.Sider>
          <Layout.Content style={{ padding: 16, minWidth: 0 }}>
            <Suspense fallback={<Spin />}>
              <CurrentPage route={route} />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </ApolloProvider>
  );
}

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'enterprise':
      return <EnterprisePage uscc={route.uscc} />;
    case 'gaps':
      return <LoopGapsPage />;
    case 'assessment':
      return <AssessmentPage />;
    case 'transfers':
      return <TransfersPage id={route.id} send={route.send} />;
    case 'permit-check':
      return <PermitCheckPage />;
  }
}
