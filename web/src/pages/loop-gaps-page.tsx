import { useEffect, useMemo, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client';
import { Button, Card, Col, DatePicker, Form, Row, Select, Space, Table, Tag, Typography, message } from 'antd';
import type { Dayjs } from 'dayjs';
import { AuthoritiesDocument, LoopGapsDocument, TownshipsDocument } from '../gql/graphql.ts';
import type { LoopGapFilter, LoopGapKind } from '../gql/graphql.ts';
import { BarChartView } from '../charts/bar-chart.tsx';
import { downloadCsv, downloadXlsx } from '../export/export-table.ts';
import type { ExportTable } from '../export/export-table.ts';
import { QueryError } from '../components/query-error.tsx';
import { fetchAllGaps } from '../graphql/fetch-all-gaps.ts';
import type { Gap } from '../graphql/fetch-all-gaps.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { hrefOf, sendHref } from '../router.ts';

const KINDS: readonly LoopGapKind[] = [
  'COMMITMENT_NOT_VERIFIED',
  'VIOLATION_NOT_TRANSFERRED',
  'CLUE_UNANSWERED',
  'PENALTY_NOT_PUBLISHED',
  'PERMIT_VALID_AFTER_REVOCATION',
  'PUBLICITY_OVERDUE',
];
const PAGE_SIZE = 20;

interface FilterForm {
  kinds?: LoopGapKind[];
  townshipCode?: string;
  authorityCode?: string;
  due?: [Dayjs, Dayjs] | null;
  asOf?: Dayjs | null;
}

function toFilter(form: FilterForm): LoopGapFilter {
  return {
    kinds: form.kinds?.length ? form.kinds : undefined,
    townshipCode: form.townshipCode,
    authorityCode: form.authorityCode,
    from: form.due?.[0]?.format('YYYY-MM-DD'),
    to: form.due?.[1]?.format('YYYY-MM-DD'),
    asOf: form.asOf?.format('YYYY-MM-DD'),
  };
}

/** Where the loop breaks: counts by kind and township, the breaks page by page, export of the filter. */
export function LoopGapsPage() {
  const { t } = useI18n();
  const client = useApolloClient();
  const [form] = Form.useForm<FilterForm>();
  const [filter, setFilter] = useState<LoopGapFilter>({});
  // Cursor of each page shown so far; page n starts after cursors[n - 1].
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const { data, error, loading } = useQuery(LoopGapsDocument, {
    variables: { filter, first: PAGE_SIZE, after: cursors[page] },
  });
  const townships = useQuery(TownshipsDocument);
  const authorities = useQuery(AuthoritiesDocument);
  const townshipName = useMemo(
    () => new Map((townships.data?.jurisdictions ?? []).map((j) => [j.code, j.name])),
    [townships.data],
  );
  const [all, setAll] = useState<Gap[] | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    let current = true;
    setAll(null);
    fetchAllGaps(client, filter).then(
      (gaps) => current && setAll(gaps),
      () => current && setAll([]),
    );
    return () => {
      current = false;
    };
  }, [client, filter]);

  const byTownship = useMemo(() => {
    const counts = new Map<string, number>();
    for (const gap of all ?? []) counts.set(gap.townshipCode ?? '—', (counts.get(gap.townshipCode ?? '—') ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }, [all]);

  const apply = (values: FilterForm) => {
    setFilter(toFilter(values));
    setCursors([null]);
  };

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(true);
    try {
      const gaps = await fetchAllGaps(client, filter);
      const table: ExportTable = {
        name: `loop-gaps-${filter.asOf ?? new Date().toISOString().slice(0, 10)}`,
        header: [
          'kind',
          'recordId',
          'subjectUscc',
          'townshipCode',
          'township',
          'dueOn',
          'responsibleAuthorityCode',
          'responsibleAuthority',
          'evidence',
        ],
        rows: gaps.map((gap) => [
          gap.kind,
          gap.recordId,
          gap.subjectUscc,
          gap.townshipCode ?? null,
          gap.townshipCode ? (townshipName.get(gap.townshipCode) ?? null) : null,
          gap.dueOn,
          gap.responsibleAuthorityCode ?? null,
          gap.responsibleAuthority?.name ?? null,
          gap.evidence.map((e) => `${e.record}:${e.id}${e.on ? `@${e.on}` : ''}`).join('; '),
        ]),
      };
      if (format === 'csv') downloadCsv(table);
      else await downloadXlsx(table);
    } catch (failure) {
      void message.error(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setExporting(false);
    }
  };

  const counts = data?.loopGaps.countsByKind ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form form={form} layout="inline" onFinish={apply} data-testid="gap-filters">
          <Form.Item name="kinds" label={t('kind')}>
            <Select
              mode="multiple"
              allowClear
              style={{ minWidth: 240 }}
              options={KINDS.map((kind) => ({ value: kind, label: t(`gap.${kind}`) }))}
              data-testid="filter-kinds"
            />
          </Form.Item>
          <Form.Item name="townshipCode" label={t('township')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 150 }}
              options={(townships.data?.jurisdictions ?? []).map((j) => ({ value: j.code, label: j.name }))}
            />
          </Form.Item>
          <Form.Item name="authorityCode" label={t('authority')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              options={(authorities.data?.authorities ?? []).map((a) => ({ value: a.code, label: a.name }))}
            />
          </Form.Item>
          <Form.Item name="due" label={t('duePeriod')}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="asOf" label={t('asOf')}>
            <DatePicker />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('apply')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <QueryError error={error} />
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={`${t('byKind')} · ${t('total')} ${data?.loopGaps.totalCount ?? ''}`}>
            <BarChartView
              testId="gaps-by-kind-chart"
              horizontal
              categories={counts.map((c) => t(`gap.${c.kind}`))}
              series={[{ name: t('count'), values: counts.map((c) => c.count) }]}
              height={220}
            />
            <Table
              size="small"
              pagination={false}
              rowKey="kind"
              dataSource={counts}
              data-testid="gaps-by-kind"
              columns={[
                { title: t('kind'), dataIndex: 'kind', render: (kind: string) => t(`gap.${kind}`) },
                { title: t('count'), dataIndex: 'count' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('byTownship')} loading={all === null}>
            <BarChartView
              testId="gaps-by-township-chart"
              categories={byTownship.map(([code]) => townshipName.get(code) ?? code)}
              series={[{ name: t('count'), values: byTownship.map(([, n]) => n) }]}
              height={220}
            />
            <Table
              size="small"
              pagination={{ pageSize: 5 }}
              rowKey={([code]) => code}
              dataSource={byTownship}
              columns={[
                { title: t('township'), key: 'township', render: (_, [code]) => townshipName.get(code) ?? code },
                { title: t('count'), key: 'count', render: (_, [, n]) => n },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('loopGaps')}
        extra={
          <Space>
            <Button onClick={() => void exportAs('csv')} loading={exporting} data-testid="export-csv">
              {t('exportCsv')}
            </Button>
            <Button onClick={() => void exportAs('xlsx')} loading={exporting} data-testid="export-xlsx">
              {t('exportXlsx')}
            </Button>
          </Space>
        }
      >
        <Table<Gap>
          size="small"
          loading={loading}
          pagination={false}
          rowKey={(gap) => `${gap.kind}-${gap.recordId}`}
          dataSource={data?.loopGaps.gaps ?? []}
          data-testid="gaps-table"
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('kind'),
              dataIndex: 'kind',
              render: (kind: string) => <Tag color="red">{t(`gap.${kind}`)}</Tag>,
            },
            { title: t('record'), dataIndex: 'recordId' },
            {
              title: t('subject'),
              dataIndex: 'subjectUscc',
              render: (uscc: string) => <a href={hrefOf({ page: 'enterprise', uscc })}>{uscc}</a>,
            },
            {
              title: t('township'),
              dataIndex: 'townshipCode',
              render: (code: string | null) => (code ? (townshipName.get(code) ?? code) : ''),
            },
            { title: t('dueOn'), dataIndex: 'dueOn' },
            {
              title: t('responsible'),
              key: 'responsible',
              render: (_, gap) => gap.responsibleAuthority?.name ?? gap.responsibleAuthorityCode ?? '',
            },
            {
              title: t('evidence'),
              key: 'evidence',
              render: (_, gap) => (
                <Space direction="vertical" size={0}>
                  {gap.evidence.map((e) => (
                    <Typography.Text key={`${e.record}-${e.id}`} type="secondary">
                      {e.record} {e.id} {e.on ?? ''}
                    </Typography.Text>
                  ))}
                  {gap.kind === 'VIOLATION_NOT_TRANSFERRED' && (
                    <a href={sendHref({ subject: gap.subjectUscc, inspectionId: gap.recordId })}>{t('sendFromGap')}</a>
                  )}
                </Space>
              ),
            },
          ]}
        />
        <Space style={{ marginTop: 8 }}>
          <Button disabled={page === 0} onClick={() => setCursors(cursors.slice(0, -1))} aria-label="previous page">
            ‹
          </Button>
          <span data-testid="gaps-page">{page + 1}</span>
          <Button
            disabled={!data?.loopGaps.pageInfo.hasNextPage}
            onClick={() => setCursors([...cursors, data?.loopGaps.pageInfo.endCursor ?? null])}
            aria-label="next page"
          >
            ›
          </Button>
        </Space>
      </Card>
    </Space>
  );
}
