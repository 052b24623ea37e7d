import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client';
import { Alert, Button, Card, Descriptions, Input, Select, Space, Table, Tag } from 'antd';
import { ExtendTransferDeadlineDocument, ReportTransferStepDocument, TransferDetailDocument } from '../gql/graphql.ts';
import type { TransferReportedStep } from '../gql/graphql.ts';
import { QueryError } from '../components/query-error.tsx';
import { mutationErrorText, newIdempotencyKey } from '../graphql/mutation-error.ts';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * One transfer with its history; the receiver reports steps and may extend the deadline once.
 * Which steps and whether the extension are open come from the gateway (nextSteps, extendable), so
 * the page never keeps a copy of the transfer's state machine.
 */
export function TransferDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const { data, error, refetch } = useQuery(TransferDetailDocument, { variables: { id } });
  const [reportStep, reporting] = useMutation(ReportTransferStepDocument);
  const [extend, extending] = useMutation(ExtendTransferDeadlineDocument);
  const [chosenStep, setStep] = useState<TransferReportedStep | null>(null);
  const [text, setText] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const transfer = data?.transfer;
  const nextSteps = transfer?.nextSteps ?? [];
  // A step chosen before the transfer moved on may no longer be open: fall back to the first that is.
  const step = chosenStep && nextSteps.includes(chosenStep) ? chosenStep : (nextSteps[0] ?? null);

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setOutcome({ ok: true, text: 'OK' });
      setKey(newIdempotencyKey());
      setText('');
      await refetch();
    } catch (failure) {
      setOutcome({ ok: false, text: mutationErrorText(failure) });
    }
  };
  const report = (step: TransferReportedStep) =>
    run(() =>
      reportStep({
        variables: {
          idempotencyKey: key,
          input: {
            transferId: id,
            step,
            caseNo: step === 'CASE_FILED' ? text : undefined,
            decisionNo: step === 'DECIDED' ? text : undefined,
            reason: step === 'RETURNED' || step === 'NOT_FILED' ? text : undefined,
            note:
              step === 'CASE_FILED' || step === 'DECIDED' || step === 'RETURNED' || step === 'NOT_FILED'
                ? undefined
                : text || undefined,
          },
        },
      }),
    );
  const extendDeadline = () => run(() => extend({ variables: { transferId: id, reason: text, idempotencyKey: key } }));

  if (!transfer) return <QueryError error={error} />;
  const textLabel = step === 'CASE_FILED' ? t('caseNo') : step === 'DECIDED' ? t('decisionNo') : t('reason');
  return (
    <Card size="small" title={`${t('detail')} ${transfer.id}`} data-testid="transfer-detail">
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('status')}>
          <Tag>{transfer.status}</Tag>
          {transfer.overdue && <Tag color="red">{t('overdue')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('subject')}>{transfer.subjectUscc}</Descriptions.Item>
        <Descriptions.Item label={t('powerItem')}>
          {transfer.powerItem?.name ?? transfer.powerItemCode}
        </Descriptions.Item>
        <Descriptions.Item label={t('sender')}>{transfer.sender?.name ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('receiver')}>
          {transfer.receiver?.name ?? ''} ({transfer.routedBy})
        </Descriptions.Item>
        <Descriptions.Item label={t('answerDueOn')}>
          {transfer.answerDueOn} {transfer.extended ? '(+5)' : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('findings')}>{transfer.findings}</Descriptions.Item>
        <Descriptions.Item label={t('inspectionId')}>{transfer.inspectionId ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('delivery')}>
          {transfer.delivery?.status ?? ''} {transfer.delivery?.enforcementClueId ?? ''}
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        rowKey="seq"
        dataSource={transfer.history}
        data-testid="transfer-history"
        columns={[
          { title: '#', dataIndex: 'seq' },
          { title: t('kind'), dataIndex: 'kind' },
          { title: t('status'), key: 'move', render: (_, entry) => `${entry.fromStatus ?? ''} → ${entry.toStatus}` },
          { title: t('stepAt'), dataIndex: 'at' },
          { title: t('authority'), dataIndex: 'authorityCode' },
          {
            title: t('reason'),
            key: 'why',
            render: (_, entry) => entry.reason ?? entry.caseNo ?? entry.decisionNo ?? entry.note ?? '',
          },
        ]}
      />
      <Space wrap style={{ marginTop: 8 }}>
        <Select<TransferReportedStep>
          aria-label={t('reportStep')}
          value={step}
          onChange={setStep}
          style={{ width: 160 }}
          options={nextSteps.map((s) => ({ value: s, label: s }))}
          disabled={nextSteps.length === 0}
          placeholder={t('noStepLeft')}
        />
        <Input
          aria-label={textLabel}
          placeholder={textLabel}
          value={text}
          onChange={(event) => setText(event.target.value)}
          style={{ width: 260 }}
        />
        <Button
          type="primary"
          loading={reporting.loading}
          disabled={step === null}
          onClick={() => step && void report(step)}
        >
          {t('reportStep')}
        </Button>
        <Button loading={extending.loading} disabled={!transfer.extendable} onClick={() => void extendDeadline()}>
          {t('extendDeadline')}
        </Button>
      </Space>
      {outcome && (
        <Alert
          style={{ marginTop: 8 }}
          type={outcome.ok ? 'success' : 'error'}
          showIcon
          role="status"
          message={outcome.text}
        />
      )}
    </Card>
  );
}
