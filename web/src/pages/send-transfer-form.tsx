import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client';
import { Alert, Button, Card, Form, Input, Select, Space } from 'antd';
import { AuthoritiesDocument, PowerItemsDocument, TransferClueDocument } from '../gql/graphql.ts';
import { mutationErrorText, newIdempotencyKey } from '../graphql/mutation-error.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { hrefOf } from '../router.ts';

interface SendForm {
  subject: string;
  powerItemCode: string;
  findings: string;
  evidenceRefs: string;
  inspectionId?: string;
  receiverAuthorityCode?: string;
}

/** Sends a clue (transferClue); the receiver is routed by the power list unless the gateway refuses. */
export function SendTransferForm({
  initial,
  onSent,
  onClose,
}: {
  initial: { subject: string; inspectionId?: string } | undefined;
  onSent: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const powerItems = useQuery(PowerItemsDocument);
  const authorities = useQuery(AuthoritiesDocument);
  const [transferClue, { loading }] = useMutation(TransferClueDocument);
  const [key, setKey] = useState(newIdempotencyKey);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; id?: string } | null>(null);

  const submit = async (values: SendForm) => {
    try {
      const { data } = await transferClue({
        variables: {
          idempotencyKey: key,
          input: {
            subject: values.subject.trim(),
            powerItemCode: values.powerItemCode,
            findings: values.findings,
            evidenceRefs: values.evidenceRefs
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean),
            inspectionId: values.inspectionId?.trim() || undefined,
            receiverAuthorityCode: values.receiverAuthorityCode || undefined,
          },
        },
      });
      const transfer = data?.transferClue.transfer;
      setOutcome({
        ok: true,
        text: `${t('sent')} → ${transfer?.receiver?.name ?? transfer?.receiver?.code ?? ''} · ${t('answerDueOn')} ${transfer?.answerDueOn ?? ''}`,
        id: transfer?.id,
      });
      setKey(newIdempotencyKey());
      onSent();
    } catch (error) {
      // The same key stays, so retrying this submission cannot create a second transfer.
      setOutcome({ ok: false, text: mutationErrorText(error) });
    }
  };

  return (
    <Card size="small" title={t('send')} extra={<Button onClick={onClose}>×</Button>}>
      <Form<SendForm>
        layout="vertical"
        initialValues={{
          subject: initial?.subject ?? '',
          inspectionId: initial?.inspectionId ?? '',
          evidenceRefs: initial?.inspectionId ? `${initial.inspectionId}-现场记录` : '',
        }}
        onFinish={(values) => void submit(values)}
        data-testid="send-transfer-form"
      >
        <Space wrap align="start">
          <Form.Item name="subject" label="USCC" rules={[{ required: true }]}>
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="inspectionId" label={t('inspectionId')}>
            <Input style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="powerItemCode" label={t('powerItem')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 360 }}
              data-testid="power-item-select"
              options={(powerItems.data?.powerItems ?? []).map((item) => ({
                value: item.code,
                label: `${item.code} ${item.name}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="receiverAuthorityCode" label={t('receiver')} tooltip={t('receiverHelp')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 240 }}
              options={(authorities.data?.authorities ?? []).map((authority) => ({
                value: authority.code,
                label: authority.name,
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="findings" label={t('findings')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="evidenceRefs" label={t('evidenceRefs')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={loading}>
          {t('send')}
        </Button>
      </Form>
      {outcome && (
        <Alert
          style={{ marginTop: 8 }}
          type={outcome.ok ? 'success' : 'error'}
          showIcon
          role="status"
          data-testid="send-outcome"
          message={
            outcome.id ? <a href={hrefOf({ page: 'transfers', id: outcome.id })}>{outcome.text}</a> : outcome.text
          }
        />
      )}
    </Card>
  );
}
