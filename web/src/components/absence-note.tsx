import { LockOutlined, DisconnectOutlined, WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { Absence } from '../graphql/refusals.ts';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * Shown in place of a field the answer left empty, so a refusal or an outage never looks like
 * "none": a lock with the rule's name (the gateway's reason on hover and for screen readers).
 */
export function AbsenceNote({ absence }: { absence: Absence }) {
  const { t } = useI18n();
  if (absence.kind === 'refused') {
    return (
      <Tooltip title={absence.reason}>
        <Tag
          icon={<LockOutlined />}
          color="gold"
          data-testid="locked-field"
          data-rule={absence.rule}
          aria-label={`${t('locked')}: ${absence.reason}`}
        >
          {t(`rule.${absence.rule}`)}
        </Tag>
      </Tooltip>
    );
  }
  if (absence.kind === 'unreachable') {
    return (
      <Tag icon={<DisconnectOutlined />} color="red" data-testid="unreachable-field">
        {t(`system.${absence.system}`)} {absence.code}
      </Tag>
    );
  }
  return (
    <Tooltip title={absence.message}>
      <Tag icon={<WarningOutlined />} color="red">
        {t('error')}: {absence.code}
      </Tag>
    </Tooltip>
  );
}

/** A personal value the caller may see only masked (PIPL minimum necessity). */
export function MaskedValue({ value }: { value: string }) {
  const { t } = useI18n();
  return (
    <span data-testid="masked-field">
      {value} <Tag>{t('masked')}</Tag>
    </span>
  );
}
