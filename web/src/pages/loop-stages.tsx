import { Alert, Col, Row, Tag, Typography } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, MinusCircleOutlined } from '@ant-design/icons';
import type { LifecycleQuery } from '../gql/graphql.ts';
import { AbsenceNote } from '../components/absence-note.tsx';
import type { Absence } from '../graphql/refusals.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Loop = NonNullable<LifecycleQuery['subject']>['loop'];

const LOOK = {
  NONE: { color: 'default', icon: <MinusCircleOutlined /> },
  CLOSED: { color: 'green', icon: <CheckCircleOutlined /> },
  OPEN: { color: 'blue', icon: <ClockCircleOutlined /> },
  BROKEN: { color: 'red', icon: <CloseCircleOutlined /> },
} as const;

/** Approval → supervision → enforcement → credit, each with its status in words, not only colour. */
export function LoopStages({ loop, absence }: { loop: Loop; absence: Absence | null }) {
  const { t } = useI18n();
  if (!loop) return absence ? <AbsenceNote absence={absence} /> : <Alert type="info" showIcon message="—" />;
  return (
    <Row gutter={[8, 8]} data-testid="loop-stages">
      {loop.stages.map((stage) => (
        <Col key={stage.stage} xs={12} md={6}>
          <div
            style={{ border: '1px solid #eee', borderRadius: 6, padding: 8 }}
            data-stage={stage.stage}
            data-status={stage.status}
          >
            <Typography.Text strong>{t(`stage.${stage.stage}`)}</Typography.Text>
            <div>
              <Tag color={LOOK[stage.status].color} icon={LOOK[stage.status].icon}>
                {t(`status.${stage.status}`)}
              </Tag>
            </div>
            <Typography.Text type="secondary">
              {stage.records} · {stage.open} open{stage.gaps > 0 ? ` · ${stage.gaps} gap(s)` : ''}
              {stage.latestOn ? ` · ${stage.latestOn}` : ''}
            </Typography.Text>
          </div>
        </Col>
      ))}
    </Row>
  );
}
