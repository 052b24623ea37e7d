import { lazy, Suspense, useEffect, useMemo } from 'react';
import { ApolloProvider } from '@apollo/client';
import { ConfigProvider, Input, Layout, Menu, Segmented, Space, Spin, Button, Typography, Tag } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createClient } from './graphql/client.ts';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import type { Lang } from './i18n/messages.ts';
import { hrefOf, useRoute } from './router.ts';
import type { Route } from './router.ts';
import { SessionProvider, useSession } from './session/session.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { EnterprisePage } from './pages/enterprise-page.tsx';

// Pages with charts or spreadsheets load on first visit, keeping the first page small.
const LoopGapsPage = lazy(() => import('./pages/loop-gaps-page.tsx').then((m) => ({ default: m.LoopGapsPage })));
const AssessmentPage = lazy(() => import('./pages/assessment-page.tsx').then((m) => ({ default: m.AssessmentPage })));
const TransfersPage = lazy(() => import('./pages/transfers-page.tsx').then((m) => ({ default: m.TransfersPage })));
const PermitCheckPage = lazy(() =>
  import('./pages/permit-check-page.tsx').then((m) => ({ default: m.PermitCheckPage })),
);

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <LocalisedShell />
      </SessionProvider>
    </I18nProvider>
  );
}

function LocalisedShell() {
  const { lang } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS}>
      <Shell />
    </ConfigProvider>
  );
}

function Shell() {
  const session = useSession();
  const { t, lang, setLang } = useI18n();
  const route = useRoute();
  // A new client per identity and matter: what may be seen changes with them, so nothing cached carries over.
  // A renewed token is the same identity: the link reads the current token at each request.
  const client = useMemo(
    () => createClient(session.headers),
    [session.preset, session.identity, session.signedIn, session.purpose],
  );

  const header = (
    <Layout.Header
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 16,
        background: '#fff',
        borderBottom: '1px solid #eee',
        paddingInline: 16,
      }}
    >
      <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
        {t('appTitle')}
      </Typography.Title>
      <div style={{ flex: 1 }} />
      {session.signedIn && (
        <Space>
          <label htmlFor="matter-field">{t('matter')}</label>
          <Input
            id="matter-field"
            aria-describedby="matter-help"
            placeholder={t('matterPlaceholder')}
            defaultValue={session.purpose}
            onBlur={(event) => session.setPurpose(event.target.value)}
            onPressEnter={(event) => session.setPurpose(event.currentTarget.value)}
            style={{ width: 280 }}
            allowClear
          />
          <span id="matter-help" style={{ display: 'none' }}>
            {t('matterHelp')}
          </span>
        </Space>
      )}
      <Segmented<Lang>
        aria-label="language"
        value={lang}
        onChange={setLang}
        options={[
          { label: '中文', value: 'zh' },
          { label: 'EN', value: 'en' },
        ]}
      />
      {session.signedIn && (
        <Space>
          {session.preset && (
            <Tag data-testid="signed-in-as">
              {session.preset.authorityName} · {session.preset.roles.join(',')}
            </Tag>
          )}
          {session.identity && <Tag data-testid="signed-in-as">{session.identity}</Tag>}
          <Button onClick={session.signOut}>{t('signOut')}</Button>
        </Space>
      )}
    </Layout.Header>
  );

  if (!session.signedIn) {
    return (
      <Layout style={{ minHeight: '100vh' }}>
        {header}
        <Layout.Content style={{ padding: 24 }}>
          <SignInPage />
        </Layout.Content>
      </Layout>
    );
  }

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
