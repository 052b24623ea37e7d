import { useState } from 'react';
import { useQuery } from '@apollo/client';
import { Button, Card, Space, Table, Tabs, Tag } from 'antd';
import { TransfersDocument } from '../gql/graphql.ts';
import type { TransferSummaryFragment } from '../gql/graphql.ts';
import { QueryError } from '../components/query-error.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { hrefOf } from '../router.ts';
import { SendTransferForm } from './send-transfer-form.tsx';
import { TransferDetail } from './transfer-detail.tsx';

/** Officers' inbox and outbox of clue transfers, overdue ones marked in words and colour. */
export function TransfersPage({
  id,
  send,
}: {
  id: string | undefined;
  send: { subject: string; inspectionId?: string } | undefined;
}) {
  const { t } = useI18n();
  const [tab, setTab] = useState<'RECEIVED' | 'SENT'>(send ? 'SENT' : 'RECEIVED');
  const [sending, setSending] = useState(send !== undefined);
  const { data, error, loading, refetch } = useQuery(TransfersDocument, {
    variables: { filter: { role: tab, first: 200 } },
  });
  const rows = data?.transfers ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {sending ? (
        <SendTransferForm
          key={send ? `${send.subject}-${send.inspectionId ?? ''}` : 'blank'}
          initial={send}
          onSent={() => {
            setTab('SENT');
            void refetch({ filter: { role: 'SENT', first: 200 } });
          }}
          onClose={() => setSending(false)}
        />
      ) : (
        <Button type="primary" onClick={() => setSending(true)} data-testid="open-send-form">
          {t('send')}
        </Button>
      )}
      {id && <TransferDetail id={id} />}
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as 'RECEIVED' | 'SENT')}
          items={[
            { key: 'RECEIVED', label: t('inbox') },
            { key: 'SENT', label: t('outbox') },
          ]}
        />
        <QueryError error={error} />
        <Table<TransferSummaryFragment>
          size="small"
          loading={loading}
          rowKey="id"
          dataSource={rows}
          data-testid={`transfers-${tab === 'RECEIVED' ? 'inbox' : 'outbox'}`}
          rowClassName={(row) => (row.overdue ? 'transfer-overdue' : '')}
          onRow={(row) => ({ style: row.overdue ? { background: '#fff1f0' } : undefined })}
          scroll={{ x: 1000 }}
          columns={[
            { title: t('sentAt'), dataIndex: 'sentAt', render: (at: string) => at.slice(0, 16).replace('T', ' ') },
            {
              title: t('subject'),
              dataIndex: 'subjectUscc',
              render: (uscc: string) => <a href={hrefOf({ page: 'enterprise', uscc })}>{uscc}</a>,
            },
            { title: t('powerItem'), key: 'item', render: (_, row) => row.powerItem?.name ?? row.powerItemCode },
            {
              title: tab === 'RECEIVED' ? t('sender') : t('receiver'),
              key: 'party',
              render: (_, row) => (tab === 'RECEIVED' ? row.sender?.name : row.receiver?.name) ?? '',
            },
            { title: t('status'), dataIndex: 'status', render: (status: string) => <Tag>{status}</Tag> },
            {
              title: t('answerDueOn'),
              key: 'due',
              render: (_, row) => (
                <Space>
                  {row.answerDueOn}
                  {row.extended && <Tag>+5</Tag>}
                  {row.overdue && (
                    <Tag color="red" data-testid="overdue-tag">
                      {t('overdue')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              title: t('detail'),
              key: 'open',
              render: (_, row) => <a href={hrefOf({ page: 'transfers', id: row.id })}>{t('detail')}</a>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
