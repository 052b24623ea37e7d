import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Row, Spin, Typography, message } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';
import { fetchSessionOptions, useSession } from '../session/session.tsx';
import type { DemoPresetCard, SessionOptions } from '../session/session.tsx';

/** What each demo role may see, in the words of the sharing rules (sharing.graphql, loop scoping). */
const ROLE_SEES: Record<string, { zh: string; en: string }> = {
  'permit-officer': {
    zh: '审批局窗口：许可、检查、处罚、信用等无条件共享数据；本系统（审批）的有条件字段；线索需事项编号和共享授权。',
    en: 'Approval window: all unconditionally shared data; conditional approval fields; clues need a matter and a grant.',
  },
  'township-officer': {
    zh: '安阳街道执法队：执法系统数据（含线索）全可见；闭环断点与考核仅限本街道；可接收并处理移送线索。',
    en: 'Anyang street team: all enforcement data (clues too); loop breaks and assessment for its township only; receives transfers.',
  },
  'county-enforcement': {
    zh: '县综合行政执法局：执法系统数据（含线索）全可见；全县断点与考核；接收并答复移送线索。',
    en: 'County enforcement bureau: all enforcement data including clues; county-wide breaks and assessment; answers transfers.',
  },
  'industry-inspector': {
    zh: '市场监管局检查员：监管系统数据全可见；可从检查或断点移送线索，并在发件箱看到反馈。',
    en: 'Market regulation inspector: all supervision data; transfers clues from inspections or breaks and sees the feedback.',
  },
  'county-analyst': {
    zh: '大数据分析办：全县企业生命周期、闭环断点、考核；线索等有条件数据需事项编号和共享授权（显示为锁）。',
    en: 'County analyst: lifecycles, loop breaks and assessment county-wide; clues and other conditional data need a matter and a grant (shown locked).',
  },
  'credit-platform': {
    zh: '信用平台（系统对系统）：信用数据全可见，其余为无条件共享数据。',
    en: 'Credit platform (machine to machine): all credit data, otherwise unconditional data.',
  },
  auditor: {
    zh: '审计员：可查阅访问日志；业务数据同分析办。',
    en: 'Auditor: reads the access log; business data as the analysis office.',
  },
  admin: {
    zh: '管理员：管理共享授权与事件订阅。',
    en: 'Administrator: manages sharing grants and event subscriptions.',
  },
  'approval-admin': {
    zh: '审批局管理员：答复针对审批系统数据的共享申请，批准即生成共享授权。',
    en: "Approval bureau administrator: answers sharing requests for the approval system's data; approving one creates the grant.",
  },
};

/** `onShown` runs once the sign-in choices are on screen. */
export function SignInPage({ onShown }: { onShown?: () => void }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const [options, setOptions] = useState<SessionOptions | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    fetchSessionOptions().then(setOptions, (error: unknown) => setFailure(String(error)));
  }, []);
  useEffect(() => {
    if (options) onShown?.();
  }, [options, onShown]);

  if (failure) return <Alert type="error" showIcon message={failure} />;
  if (!options || session.redirecting) return <Spin />;
  if (options.signIn === 'oidc' && options.oidc) {
    const oidc = options.oidc;
    return (
      <Card title={t('oidcTitle')} data-testid="oidc-sign-in">
        {session.signInError && (
          <Alert
            type="error"
            showIcon
            message={t('oidcFailed')}
            description={session.signInError}
            style={{ marginBottom: 16 }}
          />
        )}
        <Typography.Paragraph>{t('oidcNote')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          <code>{oidc.issuer}</code>
        </Typography.Paragraph>
        <Button type="primary" onClick={() => void session.signInWithOidc(oidc)}>
          {t('oidcSignIn')}
        </Button>
      </Card>
    );
  }
  if (options.signIn === 'none') {
    return (
      <Card title={t('signIn')}>
        <Typography.Paragraph>{t('noAuthNote')}</Typography.Paragraph>
        <Button type="primary" onClick={session.signInWithoutToken}>
          {t('signIn')}
        </Button>
      </Card>
    );
  }
  if (options.signIn === 'unavailable') return <Alert type="warning" showIcon message={t('unavailableNote')} />;

  const signIn = async (card: DemoPresetCard) => {
    setBusy(card.name);
    try {
      await session.signInAs(card);
    } catch (error) {
      void message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Typography.Title level={3}>{t('chooseRole')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('demoNote')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {options.presets.map((card) => (
          <Col key={card.name} xs={24} md={12} xl={8}>
            <Card
              title={card.authorityName}
              extra={<code>{card.name}</code>}
              data-testid={`preset-${card.name}`}
              actions={[
                <Button
                  key="go"
                  type="link"
                  loading={busy === card.name}
                  onClick={() => void signIn(card)}
                  aria-label={`${t('signInAsThis')}: ${card.name}`}
                >
                  {t('signInAsThis')}
                </Button>,
              ]}
            >
              <Typography.Paragraph strong>
                {card.roles.join(', ')} · {card.authorityCode}
              </Typography.Paragraph>
              <Typography.Paragraph data-testid="preset-sees">
                {ROLE_SEES[card.name]?.[lang] ?? card.description}
              </Typography.Paragraph>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
