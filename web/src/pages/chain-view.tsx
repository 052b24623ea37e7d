import { Card, Collapse, Descriptions, Space, Tag, Typography } from 'antd';
import type { LifecycleQuery } from '../gql/graphql.ts';
import type { ErrorList, FieldPath } from '../graphql/refusals.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Absent } from './lifecycle-view.tsx';

type Permits = NonNullable<LifecycleQuery['subject']>['permits'];
type Permit = NonNullable<Permits>[number];
type Inspection = NonNullable<Permit['inspections']>[number];
type Clue = NonNullable<Inspection['clues']>[number];

/** Permit → inspections → clues → case → penalties → credit records, each level a card that opens. */
export function ChainView({ permits, errors, path }: { permits: Permits; errors: ErrorList; path: FieldPath }) {
  const { t } = useI18n();
  if (!permits) return <Absent errors={errors} path={path} />;
  if (permits.length === 0) return <Typography.Text type="secondary">{t('none')}</Typography.Text>;
  return (
    <Collapse
      data-testid="chain"
      items={permits.map((permit, index) => ({
        key: permit.permitNo,
        label: (
          <Space wrap>
            <Tag color="geekblue">{t('permits')}</Tag>
            {permit.itemName} <code>{permit.permitNo}</code>
            <Tag color={permit.status === 'VALID' ? 'green' : 'orange'}>{permit.status}</Tag>
            {permit.commitmentBased && <Tag>告知承诺</Tag>}
          </Space>
        ),
        children: <PermitDetail permit={permit} errors={errors} path={[...path, index]} />,
      }))}
    />
  );
}

function PermitDetail({ permit, errors, path }: { permit: Permit; errors: ErrorList; path: FieldPath }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t('authority')}>{permit.issuer?.name ?? ''}</Descriptions.Item>
        <Descriptions.Item label="valid">
          {permit.validFrom} – {permit.validUntil ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label="item">{permit.itemCode}</Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>{t('inspections')}</Typography.Text>
      {permit.inspections ? (
        permit.inspections.length === 0 ? (
          <Typography.Text type="secondary">{t('none')}</Typography.Text>
        ) : (
          permit.inspections.map((inspection, index) => (
            <InspectionCard
              key={inspection.id}
              inspection={inspection}
              errors={errors}
              path={[...path, 'inspections', index]}
            />
          ))
        )
      ) : (
        <Absent errors={errors} path={[...path, 'inspections']} />
      )}
      <Typography.Text strong>{t('penalties')}</Typography.Text>
      {permit.penalties ? (
        permit.penalties.length === 0 ? (
          <Typography.Text type="secondary">{t('none')}</Typography.Text>
        ) : (
          permit.penalties.map((penalty) => (
            <div key={penalty.decisionNo}>
              <code>{penalty.decisionNo}</code>{' '}
              {penalty.kinds.map((kind) => (
                <Tag key={kind}>{kind}</Tag>
              ))}{' '}
              {penalty.fine.yuan} 元
            </div>
          ))
        )
      ) : (
        <Absent errors={errors} path={[...path, 'penalties']} />
      )}
    </Space>
  );
}

function InspectionCard({ inspection, errors, path }: { inspection: Inspection; errors: ErrorList; path: FieldPath }) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      type="inner"
      data-testid="inspection-card"
      title={
        <Space wrap>
          <Tag color="purple">{t('inspections')}</Tag>
          {inspection.inspectedOn} {inspection.kind} <code>{inspection.id}</code>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <span>
          <Tag color={inspection.outcome === 'VIOLATION_FOUND' ? 'red' : 'green'}>{inspection.outcome}</Tag>{' '}
          {inspection.status} · {inspection.leadAuthority?.name ?? ''}
        </span>
        <span data-testid="clues-field">
          <Typography.Text strong>{t('clues')}: </Typography.Text>
          {inspection.clues ? (
            inspection.clues.length === 0 ? (
              <Typography.Text type="secondary">{t('none')}</Typography.Text>
            ) : null
          ) : (
            <Absent errors={errors} path={[...path, 'clues']} />
          )}
        </span>
        {inspection.clues?.map((clue) => (
          <ClueCard key={clue.id} clue={clue} />
        ))}
      </Space>
    </Card>
  );
}

function ClueCard({ clue }: { clue: Clue }) {
  const { t } = useI18n();
  const found = clue.case;
  return (
    <Card
      size="small"
      type="inner"
      title={
        <Space wrap>
          <Tag color="orange">{t('clues')}</Tag>
          <code>{clue.id}</code> {clue.status} {clue.receiver?.name ?? ''}
        </Space>
      }
    >
      {found ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>
            <Tag color="volcano">{t('case')}</Tag>
            <code>{found.caseNo}</code> {found.status} {found.procedure} · {found.authority?.name ?? ''}
          </span>
          {(found.penalties ?? []).map((penalty) => (
            <div key={penalty.decisionNo} style={{ paddingLeft: 16 }}>
              <Tag color="red">{t('penalties')}</Tag>
              <code>{penalty.decisionNo}</code>{' '}
              {penalty.kinds.map((kind) => (
                <Tag key={kind}>{kind}</Tag>
              ))}{' '}
              {penalty.fine.yuan} 元
              {(penalty.creditRecords ?? []).map((record) => (
                <div key={record.id} style={{ paddingLeft: 16 }}>
                  <Tag color="cyan">{t('creditRecords')}</Tag>
                  {record.status} {record.publishedOn} → {record.publicityEndsOn ?? ''} · {record.authorityName}
                </div>
              ))}
            </div>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">
          {t('case')}: {t('none')}
        </Typography.Text>
      )}
    </Card>
  );
}
