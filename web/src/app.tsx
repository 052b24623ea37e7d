import { lazy, Suspense, useEffect } from 'react';
import type { ReactNode } from 'react';
import { Alert, ConfigProvider, Input, Layout, Segmented, Space, Spin, Button, Typography, Tag } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import type { Lang } from './i18n/messages.ts';
import { SessionProvider, useSession } from './session/session.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';

// The first page is the sign-in: everything behind it (Apollo, the pages and their components)
// loads while the person chooses, keeping the first page small (bench/console.ts measures it).
const loadSignedInShell = () => import('./signed-in-shell.tsx');
// Once the sign-in choices are on screen (not before: parsing it would delay them), fetch what
// comes after them, so signing in does not wait for it.
const preloadSignedInShell = () => void loadSignedInShell();
const SignedInShell = lazy(() => loadSignedInShell().then((m) => ({ default: m.SignedInShell })));

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
          <Button onClick={() => void session.signOut()}>{t('signOut')}</Button>
        </Space>
      )}
    </Layout.Header>
  );

  if (!session.signedIn) {
    return <SignInLayout header={header} />;
  }

  return (
    <Suspense fallback={<Spin />}>
      <SignedInShell header={header} />
    </Suspense>
  );
}

function SignInLayout({ header }: { header: ReactNode }) {
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {header}
      <Layout.Content style={{ padding: 24 }}>
        <SignOutNoticeAlert />
        <SignInPage onShown={preloadSignedInShell} />
      </Layout.Content>
    </Layout>
  );
}

/** Signed out of the page, but the token could not be ended at the gateway: the person should know it still works. */
function SignOutNoticeAlert() {
  const { t } = useI18n();
  const { signOutNotice } = useSession();
  if (!signOutNotice) return null;
  const until = signOutNotice.expiresAt && `${t('tokenValidUntil')}: ${signOutNotice.expiresAt}`;
  return (
    <Alert
      data-testid="sign-out-notice"
      type="warning"
      showIcon
      message={t(signOutNotice.kind)}
      description={[until, signOutNotice.detail].filter(Boolean).join(' · ') || undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
