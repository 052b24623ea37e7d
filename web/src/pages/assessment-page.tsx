import { useMemo, useState } from 'react';
import { useQuery } from '@apollo/client';
import { LockOutlined } from '@ant-design/icons';
import { Card, Col, DatePicker, Row, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { AuthorityPerformanceDocument, TownshipsDocument } from '../gql/graphql.ts';
import type { AuthorityPerformanceQuery } from '../gql/graphql.ts';
import { BarChartView } from '../charts/bar-chart.tsx';
import { QueryError } from '../components/query-error.tsx';
import { useI18n } from '../i18n/i18n.tsx';

type Unit = AuthorityPerformanceQuery['authorityPerformance']['units'][number];
type PowerUse = AuthorityPerformanceQuery['authorityPerformance']['delegatedPowers'][number];

/** Decimal strings ("0.8750") as percentages; null when nothing was received. */
function percent(rate: string | null | undefined): number | null {
  return rate === null || rate === undefined ? null : Math.round(Number(rate) * 1000) / 10;
}
function byNumber(a: string | number | null | undefined, b: string | number | null | undefined): number {
  return (a === null || a === undefined ? -1 : Number(a)) - (b === null || b === undefined ? -1 : Number(b));
}

interface AuthorityTotal {
  name: string;
  received: number;
  answered: number;
  answeredInTime: number;
  handled: number;
}

/** The chart compares authorities: each one's townships summed (the table keeps them apart). */
function totalsByAuthority(units: readonly Unit[]): AuthorityTotal[] {
  const totals = new Map<string, AuthorityTotal>();
  for (const unit of units) {
    // A figure the caller may not see (null, refused by the rules of its source fields) is left out, never counted as 0.
    if (
      unit.transfersReceived === null ||
      unit.answered === null ||
      unit.answeredInTime === null ||
      unit.handled === null
    )
      continue;
    const total = totals.get(unit.authorityCode) ?? {
      name: unit.authority?.name ?? unit.authorityCode,
      received: 0,
      answered: 0,
      answeredInTime: 0,
      handled: 0,
    };
    total.received += unit.transfersReceived;
    total.answered += unit.answered;
    total.answeredInTime += unit.answeredInTime;
    total.handled += unit.handled;
    totals.set(unit.authorityCode, total);
  }
  return [...totals.values()].filter((total) => total.received > 0);
}
/** A count, or a lock where the sharing rules refused it: never a blank that reads as none. */
function figure(value: number | null, locked: string) {
  return value === null ? (
    <Tag icon={<LockOutlined />} color="gold" data-testid="locked-field">
      {locked}
    </Tag>
  ) : (
    value
  );
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** 考核: response, in-time and handling rates and working days per step, per authority and township; 接得住. */
export function AssessmentPage() {
  const { t } = useI18n();
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(1, 'year').startOf('year'), dayjs()]);
  const { data, error, loading } = useQuery(AuthorityPerformanceDocument, {
    variables: { period: { from: period[0].format('YYYY-MM-DD'), to: period[1].format('YYYY-MM-DD') } },
  });
  const townships = useQuery(TownshipsDocument);
  const townshipName = useMemo(
    () => new Map((townships.data?.jurisdictions ?? []).map((j) => [j.code, j.name])),
    [townships.data],
  );
  const units = data?.authorityPerformance.units ?? [];
  const charted = useMemo(() => totalsByAuthority(units), [units]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space>
          <label htmlFor="assessment-period">{t('period')}</label>
          <DatePicker.RangePicker
            id="assessment-period"
            value={period}
            allowClear={false}
            onChange={(value) => value?.[0] && value[1] && setPeriod([value[0], value[1]])}
          />
        </Space>
      </Card>
      <QueryError error={error} />
      <Card
        size="small"
        title={`${t('responseRate')} / ${t('inTimeRate')} / ${t('handlingRate')} (%)`}
        loading={loading && !data}
      >
        <BarChartView
          testId="assessment-chart"
          categories={charted.map((total) => total.name)}
          height={340}
          series={[
            { name: t('responseRate'), values: charted.map((total) => rate(total.answered, total.received)) },
            { name: t('inTimeRate'), values: charted.map((total) => rate(total.answeredInTime, total.received)) },
            { name: t('handlingRate'), values: charted.map((total) => rate(total.handled, total.received)) },
          ]}
        />
      </Card>
      <Card size="small" title={t('assessment')}>
        <Table<Unit>
          size="small"
          rowKey={(unit) => `${unit.authorityCode}-${unit.townshipCode}`}
          dataSource={units}
          data-testid="assessment-table"
          scroll={{ x: 1100 }}
          pagination={{ pageSize: 15 }}
          columns={[
            {
              title: t('authority'),
              key: 'authority',
              render: (_, unit) => unit.authority?.name ?? unit.authorityCode,
              sorter: (a, b) => a.authorityCode.localeCompare(b.authorityCode),
            },
            {
              title: t('township'),
              key: 'township',
              render: (_, unit) => townshipName.get(unit.townshipCode) ?? unit.townshipCode,
            },
            {
              title: t('received'),
              key: 'transfersReceived',
              sorter: (a, b) => byNumber(a.transfersReceived, b.transfersReceived),
              render: (_, unit) => figure(unit.transfersReceived, t('locked')),
            },
            {
              title: t('answered'),
              key: 'answered',
              sorter: (a, b) => byNumber(a.answered, b.answered),
              render: (_, unit) => figure(unit.answered, t('locked')),
            },
            ...(['responseRate', 'inTimeRate', 'handlingRate'] as const).map((key) => ({
              title: t(key),
              key,
              sorter: (a: Unit, b: Unit) => byNumber(a[key], b[key]),
              render: (_: unknown, unit: Unit) => (unit[key] === null ? '—' : `${percent(unit[key])}%`),
            })),
            ...(
              [
                ['toAnswer', 'daysToAnswer'],
                ['toCaseFiled', 'daysToFile'],
                ['toDecision', 'daysToDecide'],
                ['toExecution', 'daysToExecute'],
              ] as const
            ).map(([key, title]) => ({
              title: t(title),
              key,
              sorter: (a: Unit, b: Unit) => byNumber(a.averageWorkingDays[key], b.averageWorkingDays[key]),
              render: (_: unknown, unit: Unit) => unit.averageWorkingDays[key] ?? '—',
            })),
            {
              title: t('case'),
              key: 'cases',
              render: (_, unit) => (
                <>
                  {figure(unit.casesDecided, t('locked'))} / {figure(unit.casesExecuted, t('locked'))}
                </>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={`接得住 · ${t('delegated')}`}>
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <BarChartView
              testId="delegated-chart"
              categories={(data?.authorityPerformance.delegatedPowers ?? []).map(
                (use) => use.township?.name ?? use.townshipCode,
              )}
              series={[
                {
                  name: t('exercised'),
                  values: (data?.authorityPerformance.delegatedPowers ?? []).map((use) => use.exercised.length),
                },
                {
                  name: t('neverExercised'),
                  values: (data?.authorityPerformance.delegatedPowers ?? []).map((use) => use.neverExercised.length),
                },
              ]}
            />
          </Col>
          <Col xs={24} lg={12}>
            <Table<PowerUse>
              size="small"
              rowKey="townshipCode"
              dataSource={data?.authorityPerformance.delegatedPowers ?? []}
              pagination={{ pageSize: 8 }}
              columns={[
                { title: t('township'), key: 'township', render: (_, use) => use.township?.name ?? use.townshipCode },
                {
                  title: t('delegated'),
                  key: 'delegatedItems',
                  render: (_, use) => figure(use.delegatedItems, t('locked')),
                  sorter: (a, b) => (a.delegatedItems ?? -1) - (b.delegatedItems ?? -1),
                },
                {
                  title: t('exercised'),
                  key: 'exercised',
                  render: (_, use) => use.exercised.length,
                  sorter: (a, b) => a.exercised.length - b.exercised.length,
                },
                {
                  title: t('neverExercised'),
                  key: 'never',
                  render: (_, use) =>
                    use.neverExercised.length === 0 ? (
                      <Typography.Text type="secondary">0</Typography.Text>
                    ) : (
                      <span title={use.neverExercised.map((item) => item.name).join('、')}>
                        <Tag color="orange">{use.neverExercised.length}</Tag>
                      </span>
                    ),
                },
              ]}
            />
          </Col>
        </Row>
      </Card>
    </Space>
  );
}
