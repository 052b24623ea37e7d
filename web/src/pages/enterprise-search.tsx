import { useEffect, useState } from 'react';
import { useLazyQuery, useQuery } from '@apollo/client';
import { Alert, Card, Input, List, Space, Tag, Typography } from 'antd';
import { CheckUsccDocument, SearchSubjectsDocument, SubjectByIdentifierDocument } from '../gql/graphql.ts';
import { QueryError } from '../components/query-error.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { hrefOf, navigate } from '../router.ts';

/** An 18-character candidate looks like a USCC; 15 digits like a legacy 注册号; anything else is a name. */
function identifierKind(text: string): 'uscc' | 'regno' | 'name' {
  if (/^[0-9A-Z]{18}$/i.test(text)) return 'uscc';
  if (/^\d{15}$/.test(text)) return 'regno';
  return 'name';
}

export function EnterpriseSearch() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const trimmed = text.trim().toUpperCase();
  const kind = identifierKind(trimmed);
  // Explain the check as the user types, from 17 characters on (the check character is the 18th).
  const check = useQuery(CheckUsccDocument, {
    variables: { code: trimmed },
    skip: trimmed.length < 17 || trimmed.length > 18 || !/^[0-9A-Z]+$/.test(trimmed),
  });
  const [searchNames, names] = useLazyQuery(SearchSubjectsDocument);
  const [lookUp, byIdentifier] = useLazyQuery(SubjectByIdentifierDocument);
  const [submitted, setSubmitted] = useState<string | null>(null);

  const submit = () => {
    if (!trimmed) return;
    setSubmitted(trimmed);
    if (kind === 'name') void searchNames({ variables: { nameContains: text.trim(), first: 20 } });
    else void lookUp({ variables: { identifier: trimmed } });
  };

  const found = byIdentifier.data?.subjectByIdentifier;
  useEffect(() => {
    // An exact identifier opens its enterprise at once.
    if (found && submitted && kind !== 'name') navigate({ page: 'enterprise', uscc: found.uscc });
  }, [found, submitted, kind]);

  const usccCheck = check.data?.checkUscc;
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.Search
          aria-label={t('searchPlaceholder')}
          placeholder={t('searchPlaceholder')}
          enterButton={t('search')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onSearch={submit}
          data-testid="enterprise-search"
        />
        {usccCheck && (
          <div data-testid="uscc-check" role="status">
            <Tag color={usccCheck.valid ? 'green' : 'red'}>{usccCheck.valid ? t('usccValid') : t('usccInvalid')}</Tag>
            {usccCheck.problems.join('；')}
          </div>
        )}
        <QueryError error={names.error ?? byIdentifier.error} />
        {submitted &&
          kind !== 'name' &&
          byIdentifier.called &&
          !byIdentifier.loading &&
          !found &&
          !byIdentifier.error && <Alert type="info" showIcon message={`${t('noMatch')}: ${submitted}`} />}
        {kind === 'name' && names.data && (
          <List
            size="small"
            header={`${names.data.subjects.totalCount}`}
            dataSource={names.data.subjects.nodes}
            locale={{ emptyText: t('noMatch') }}
            renderItem={(subject) => (
              <List.Item>
                <a href={hrefOf({ page: 'enterprise', uscc: subject.uscc })}>{subject.name}</a>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  {subject.uscc} {subject.township?.name ?? ''} {subject.usccValid ? '' : `(${t('usccInvalid')})`}
                </Typography.Text>
              </List.Item>
            )}
          />
        )}
      </Space>
    </Card>
  );
}
