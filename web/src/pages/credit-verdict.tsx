import {
  CheckCircleOutlined,
  ExclamationCircleOutlined,
  LockOutlined,
  StopOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { CreditCheckVerdict, PermitCreditChecksQuery } from '../gql/graphql.ts';
import { useI18n } from '../i18n/i18n.tsx';

export type CreditCheckAnswer = PermitCreditChecksQuery['creditChecks'][number];

/** What the page knows of one applicant's credit check: each state says so in words, none looks clear. */
export type CreditVerdictState =
  { kind: 'no-item' } | { kind: 'loading' } | { kind: 'failed' } | { kind: 'checked'; check: CreditCheckAnswer };

// Colour and an icon, beside the words: colour is never the only signal.
const LOOK: Record<CreditCheckVerdict, { color: string; icon: ReactNode }> = {
  CLEAR: { color: 'green', icon: <CheckCircleOutlined /> },
  CONDITIONS: { color: 'orange', icon: <ExclamationCircleOutlined /> },
  REFUSE: { color: 'red', icon: <StopOutlined /> },
};

function VerdictTag({ verdict, complete = true }: { verdict: CreditCheckVerdict; complete?: boolean }) {
  const { t } = useI18n();
  const look = LOOK[verdict];
  // CLEAR with rules left unevaluated is clear only of those evaluated: not green.
  const color = verdict === 'CLEAR' && !complete ? 'gold' : look.color;
  return (
    <Tag color={color} icon={look.icon} data-testid="verdict-tag" data-verdict={verdict}>
      {t(`verdict.${verdict}`)}
    </Tag>
  );
}

/** The credit-check verdict (信用核查) for one applicant and the item chosen, with every reason. */
export function CreditVerdict({ state }: { state: CreditVerdictState }) {
  const { t } = useI18n();
  if (state.kind === 'no-item') return <Typography.Text type="secondary">{t('chooseItemForVerdict')}</Typography.Text>;
  if (state.kind === 'loading') return <Typography.Text type="secondary">{t('creditCheck')}…</Typography.Text>;
  if (state.kind === 'failed') {
    return (
      <Tag icon={<WarningOutlined />} color="red" data-testid="credit-verdict-failed">
        {t('noVerdict')}
      </Tag>
    );
  }
  const { check } = state;
  return (
    <Space direction="vertical" size="small" style={{ width: '100%', marginBottom: 12 }} data-testid="credit-verdict">
      <Space wrap>
        <Typography.Text strong>
          {t('creditCheck')} · {check.itemName} ({check.item})
        </Typography.Text>
        <VerdictTag verdict={check.verdict} complete={check.complete} />
        {!check.complete && (
          <Tag icon={<LockOutlined />} color="gold" data-testid="verdict-incomplete">
            {t('verdictIncomplete')}
          </Tag>
        )}
        <Typography.Text type="secondary">
          {t('asOf')} {check.asOf} · {t('rulesVersion')} {check.rulesVersion}
        </Typography.Text>
      </Space>
      {check.reasons.map((reason) => (
        <Descriptions
          key={reason.ruleId}
          size="small"
          bordered
          column={1}
          styles={{ label: { width: 110, whiteSpace: 'nowrap' } }}
          data-testid="credit-reason"
          data-rule={reason.ruleId}
          title={
            <Space>
              <VerdictTag verdict={reason.verdict} />
              <Typography.Text code>{reason.ruleId}</Typography.Text>
              <Typography.Text>{reason.text}</Typography.Text>
            </Space>
          }
        >
          {reason.conditions.length > 0 && (
            <Descriptions.Item label={t('conditions')}>
              {reason.conditions.map((condition) => (
                <Tag key={condition}>{t(`condition.${condition}`)}</Tag>
              ))}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('legalBasis')}>{reason.legalBasis}</Descriptions.Item>
          <Descriptions.Item label={t('triggeredBy')}>
            {reason.triggeredBy.map((record) => (
              <Tag key={`${record.kind} ${record.id}`}>
                {t(`record.${record.kind}`)} {record.id} {record.on ?? ''}
              </Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('appliesUntil')}>{reason.appliesUntil ?? t('untilChanged')}</Descriptions.Item>
        </Descriptions>
      ))}
      <Space wrap>
        {check.notEvaluated.map((rule) => {
          // Records an agency answered unreadably need the agency, not a grant: say which.
          const unreadable = rule.reason === 'RECORDS_NOT_READABLE';
          const why = unreadable ? t('recordsUnreadable') : t('needsGrantFor');
          const what = unreadable ? rule.sources : rule.fields;
          return (
            <Tooltip key={rule.ruleId} title={unreadable ? t('recordsUnreadableHelp') : t('notEvaluatedHelp')}>
              <Tag
                icon={unreadable ? <WarningOutlined /> : <LockOutlined />}
                color="gold"
                data-testid="credit-rule-not-evaluated"
                data-rule={rule.ruleId}
                data-reason={rule.reason}
                aria-label={`${t('notEvaluated')} ${rule.ruleId}: ${why} ${what.join(', ')}`}
              >
                {t('notEvaluated')} {rule.ruleId} · {why} {what.join('、')}
              </Tag>
            </Tooltip>
          );
        })}
        {check.partlyEvaluated.map((rule) => (
          <Tooltip key={rule.ruleId} title={t('partlyEvaluatedHelp')}>
            <Tag
              icon={<LockOutlined />}
              color="gold"
              data-testid="credit-rule-partly-evaluated"
              data-rule={rule.ruleId}
              aria-label={`${t('partlyEvaluated')} ${rule.jurisdictionCode}: ${rule.ruleId}`}
            >
              {rule.ruleId} · {t('partlyEvaluated')} {rule.jurisdictionCode}
            </Tag>
          </Tooltip>
        ))}
      </Space>
    </Space>
  );
}
