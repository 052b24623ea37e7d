import { useQuery } from '@apollo/client';
import { Alert, Card, Descriptions, Empty, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import type { LifecycleQuery } from '../gql/graphql.ts';
import { LifecycleDocument } from '../gql/graphql.ts';
import { AbsenceNote, MaskedValue } from '../components/absence-note.tsx';
import { QueryError } from '../components/query-error.tsx';
import { UnreachableBanner } from '../components/unreachable-banner.tsx';
import { absenceAt, looksMasked, unreachableSystems } from '../graphql/refusals.ts';
import type { ErrorList, FieldPath } from '../graphql/refusals.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { LoopStages } from './loop-stages.tsx';
import { ChainView } from './chain-view.tsx';

type Subject = NonNullable<LifecycleQuery['subject']>;

/** One enterprise across the four systems: header, loop stages, timeline and the linked chain. */
export function LifecycleView({ uscc }: { uscc: string }) {
  const { t } = useI18n();
  const { data, error, loading } = useQuery(LifecycleDocument, { variables: { identifier: uscc } });
  const errors = error?.graphQLErrors;
  const subject = data?.subject;
  if (loading && !subject) return <Skeleton active />;
  if (!subject) {
    return (
      <>
        <QueryError error={error} />
        {!error && <Empty description={`${t('noMatch')}: ${uscc}`} />}
      </>
    );
  }
  const systems = unreachableSystems(
    errors,
    subject.timeline.unavailableSystems.map((unavailable) => unavailable.system),
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="lifecycle">
      <UnreachableBanner systems={systems} />
      <LifecycleHeader subject={subject} errors={errors} />
      <Card size="small" title={t('loopStages')}>
        <LoopStages loop={subject.loop} absence={absenceAt(errors, ['subject', 'loop'])} />
      </Card>
      <Card size="small" title={t('chain')}>
        <ChainView permits={subject.permits} errors={errors} path={['subject', 'permits']} />
      </Card>
      <Card size="small" title={t('timeline')}>
        <Timeline
          items={subject.timeline.events.map((event) => ({
            key: `${event.at}-${event.recordId}-${event.kind}`,
            children: (
              <span>
                <Typography.Text type="secondary">{event.at.slice(0, 10)}</Typography.Text>{' '}
                <Tag>{t(`stage.${event.stage}`)}</Tag>
                {event.summary}
              </span>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

function LifecycleHeader({ subject, errors }: { subject: Subject; errors: ErrorList }) {
  const { t } = useI18n();
  const credit = subject.credit;
  const creditAbsence = absenceAt(errors, ['subject', 'credit']);
  const representative = subject.legalRepresentative;
  return (
    <Card size="small">
      <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="subject-name">
        {subject.name}
      </Typography.Title>
      {!subject.usccValid && (
        <Alert type="warning" showIcon message={`${subject.uscc}: ${subject.usccProblem ?? t('usccInvalid')}`} />
      )}
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
        <Descriptions.Item label="USCC">{subject.uscc}</Descriptions.Item>
        <Descriptions.Item label={t('township')}>
          {subject.township?.name ?? <Absent errors={errors} path={['subject', 'township']} />}
        </Descriptions.Item>
        <Descriptions.Item label={t('creditGrade')}>
          {credit ? (
            <Tag color={credit.grade === 'A' ? 'green' : credit.grade === 'D' ? 'red' : 'blue'}>{credit.grade}</Tag>
          ) : creditAbsence ? (
            <AbsenceNote absence={creditAbsence} />
          ) : (
            t('none')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('dishonesty')}>
          {credit ? (
            <span data-testid="dishonesty">
              {credit.dishonesty.status}
              {credit.dishonesty.listedOn ? ` ${credit.dishonesty.listedOn}` : ''} {credit.dishonesty.reason ?? ''}
            </span>
          ) : creditAbsence ? (
            <AbsenceNote absence={creditAbsence} />
          ) : (
            t('none')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('legalRepresentative')}>
          {representative ? (
            <Space wrap>
              {representative.name}
              <span>
                {t('idNumber')}: <PersonalValue value={representative.idNumber} locked={t('locked')} />
              </span>
              <span>
                {t('phone')}: <PersonalValue value={representative.phone} locked={t('locked')} />
              </span>
            </Space>
          ) : (
            <Absent errors={errors} path={['subject', 'legalRepresentative']} />
          )}
        </Descriptions.Item>
        {subject.legacyRegNo && <Descriptions.Item label="注册号">{subject.legacyRegNo}</Descriptions.Item>}
      </Descriptions>
      {subject.loop && subject.loop.gaps.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey={(gap) => `${gap.kind}-${gap.recordId}`}
          dataSource={subject.loop.gaps}
          columns={[
            {
              title: t('kind'),
              dataIndex: 'kind',
              render: (kind: string) => <Tag color="red">{t(`gap.${kind}`)}</Tag>,
            },
            { title: t('record'), dataIndex: 'recordId' },
            { title: t('dueOn'), dataIndex: 'dueOn' },
            { title: t('responsible'), key: 'responsible', render: (_, gap) => gap.responsibleAuthority?.name ?? '' },
          ]}
        />
      )}
    </Card>
  );
}

/** An empty field: a lock, an outage, or really nothing. */
export function Absent({ errors, path }: { errors: ErrorList; path: FieldPath }) {
  const { t } = useI18n();
  const absence = absenceAt(errors, path);
  return absence ? <AbsenceNote absence={absence} /> : <Typography.Text type="secondary">{t('none')}</Typography.Text>;
}

/** A personal value as the gateway answered it: refused (null, its error in the answer), masked, or whole. */
function PersonalValue({ value, locked }: { value: string | null; locked: string }) {
  if (value === null) return <>{locked}</>;
  return looksMasked(value) ? <MaskedValue value={value} /> : <>{value}</>;
}
