import { useState } from 'react';
import { useQuery } from '@apollo/client';
import { Alert, Button, Card, Descriptions, Input, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { CreditCheckItemsDocument, PermitCheckDocument, PermitCreditChecksDocument } from '../gql/graphql.ts';
import { AbsenceNote } from '../components/absence-note.tsx';
import { QueryError } from '../components/query-error.tsx';
import { UnreachableBanner } from '../components/unreachable-banner.tsx';
import { absenceAt, unreachableSystems } from '../graphql/refusals.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { hrefOf } from '../router.ts';
import { CreditCheckError } from './credit-check-error.tsx';
import { CreditVerdict } from './credit-verdict.tsx';
import type { CreditVerdictState } from './credit-verdict.tsx';
import { Absent } from './lifecycle-view.tsx';

/** Before approving: the credit-check verdict, penalties and their execution, revoked or suspended permits, dishonesty, grade. */
export function PermitCheckPage() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [chosenItem, setChosenItem] = useState<string | undefined>(undefined);
  const [asked, setAsked] = useState<{ codes: string[]; item: string | undefined }>({ codes: [], item: undefined });
  const items = useQuery(CreditCheckItemsDocument);
  const { codes, item } = asked;
  // One request for every USCC entered; not cached, so asking again reads the agencies again.
  const checks = useQuery(PermitCreditChecksDocument, {
    variables: { requests: codes.map((uscc) => ({ uscc, item: item ?? '' })) },
    skip: item === undefined || codes.length === 0,
    fetchPolicy: 'no-cache',
  });
  const verdicts = new Map((checks.data?.creditChecks ?? []).map((check) => [check.uscc, check]));
  const verdictOf = (uscc: string): CreditVerdictState => {
    if (item === undefined) return { kind: 'no-item' };
    const check = verdicts.get(uscc);
    if (check) return { kind: 'checked', check };
    return checks.loading ? { kind: 'loading' } : { kind: 'failed' };
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('permitCheck')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            id="permit-item"
            aria-label={t('permitItem')}
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: '100%' }}
            placeholder={t('permitItemPlaceholder')}
            loading={items.loading}
            value={chosenItem}
            onChange={(value: string | undefined) => setChosenItem(value)}
            options={(items.data?.creditCheckItems ?? []).map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))}
          />
          <Space.Compact style={{ width: '100%' }}>
            <Input.TextArea
              aria-label={t('usccList')}
              placeholder={t('usccList')}
              autoSize={{ minRows: 2, maxRows: 8 }}
              value={text}
              onChange={(event) => setText(event.target.value)}
              data-testid="permit-check-input"
            />
            <Button
              type="primary"
              style={{ height: 'auto' }}
              onClick={() =>
                setAsked({
                  codes: [
                    ...new Set(
                      text
                        .toUpperCase()
                        .split(/[\s,，;；]+/)
                        .filter(Boolean),
                    ),
                  ],
                  item: chosenItem,
                })
              }
            >
              {t('check')}
            </Button>
          </Space.Compact>
        </Space>
      </Card>
      <QueryError error={items.error} />
      <CreditCheckError error={checks.error} />
      {codes.map((code) => (
        <PermitCheckCard key={code} uscc={code} verdict={verdictOf(code)} />
      ))}
    </Space>
  );
}

function PermitCheckCard({ uscc, verdict }: { uscc: string; verdict: CreditVerdictState }) {
  const { t } = useI18n();
  // Not cached: the cache stores fields by name, not alias, so `penaltyExecution` (null when
  // refused) would overwrite `penalties` in it.
  const { data, error, loading } = useQuery(PermitCheckDocument, { variables: { uscc }, fetchPolicy: 'no-cache' });
  const errors = error?.graphQLErrors;
  const subject = data?.subject;
  if (loading && !subject) return <Skeleton active />;
  if (!subject) {
    return (
      <Card size="small" title={uscc}>
        <QueryError error={error} />
        {error?.graphQLErrors[0] && !error.networkError && (
          <Alert type="error" showIcon message={error.graphQLErrors[0].message} />
        )}
        {!error && <Typography.Text>{t('notFound')}</Typography.Text>}
      </Card>
    );
  }
  const execution = new Map((subject.penaltyExecution ?? []).map((p) => [p.decisionNo, p]));
  const executionAbsence = absenceAt(errors, ['subject', 'penaltyExecution']);
  const restricted = (subject.permits ?? []).filter(
    (permit) => permit.status === 'REVOKED' || permit.status === 'SUSPENDED',
  );
  const listed = subject.credit?.dishonesty.status === 'LISTED';
  return (
    <Card
      size="small"
      data-testid="permit-check-card"
      title={
        <Space>
          <a href={hrefOf({ page: 'enterprise', uscc: subject.uscc })}>{subject.name}</a>
          <Typography.Text type="secondary">{subject.uscc}</Typography.Text>
        </Space>
      }
    >
      <UnreachableBanner systems={unreachableSystems(errors)} />
      <CreditVerdict state={verdict} />
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('creditGrade')}>
          {subject.credit ? <Tag>{subject.credit.grade}</Tag> : <Absent errors={errors} path={['subject', 'credit']} />}
        </Descriptions.Item>
        <Descriptions.Item label={t('dishonesty')}>
          {subject.credit ? (
            <Tag color={listed ? 'red' : 'green'}>
              {subject.credit.dishonesty.status} {subject.credit.dishonesty.listedOn ?? ''}{' '}
              {subject.credit.dishonesty.reason ?? ''}
            </Tag>
          ) : (
            <Absent errors={errors} path={['subject', 'credit']} />
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('revokedPermits')}>
          {subject.permits === null || subject.permits === undefined ? (
            <Absent errors={errors} path={['subject', 'permits']} />
          ) : restricted.length === 0 ? (
            t('none')
          ) : (
            restricted.map((permit) => (
              <Tag key={permit.permitNo} color="red">
                {permit.itemName} {permit.permitNo} {permit.status}
              </Tag>
            ))
          )}
        </Descriptions.Item>
      </Descriptions>
      {subject.penalties ? (
        <Table
          size="small"
          pagination={false}
          rowKey="decisionNo"
          dataSource={subject.penalties}
          locale={{ emptyText: t('none') }}
          columns={[
            { title: t('decisionNo'), dataIndex: 'decisionNo' },
            { title: t('kind'), key: 'kinds', render: (_, p) => p.kinds.map((kind) => <Tag key={kind}>{kind}</Tag>) },
            { title: t('fine'), key: 'fine', render: (_, p) => p.fine.yuan },
            { title: 'decided', key: 'decided', render: (_, p) => p.decidedAt.slice(0, 10) },
            {
              title: t('execution'),
              key: 'execution',
              render: (_, p) => {
                const row = execution.get(p.decisionNo);
                if (row) return `${row.executionStatus} ${row.executedAt?.slice(0, 10) ?? ''}`;
                return executionAbsence ? <AbsenceNote absence={executionAbsence} /> : '—';
              },
            },
            {
              title: t('permits'),
              key: 'permit',
              render: (_, p) => (p.affectedPermit ? `${p.affectedPermit.permitNo} ${p.affectedPermit.status}` : ''),
            },
          ]}
        />
      ) : (
        <Absent errors={errors} path={['subject', 'penalties']} />
      )}
    </Card>
  );
}
