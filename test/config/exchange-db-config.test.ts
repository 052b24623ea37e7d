import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('CREDIT_EXCHANGE_DB_URL', () => {
  it('selects the credit 前置库, leaving the API URL unset', () => {
    const config = loadConfig({ CREDIT_EXCHANGE_DB_URL: 'mysql://reader:s3cret@10.1.2.3:3306/qzk_credit' });
    expect(config.upstreams.credit).toMatchObject({
      baseUrl: undefined,
      exchangeDbUrl: 'mysql://reader:s3cret@10.1.2.3:3306/qzk_credit',
    });
    expect(loadConfig({}).upstreams.credit.exchangeDbUrl).toBeUndefined();
  });

  it.each([
    ['postgresql://postgres@127.0.0.1:5432/test', 'must start with mysql:// or mariadb://'],
    ['mysql://root@127.0.0.1:3306/', 'names no database'],
    ['not a url', 'is not a URL'],
  ])('refuses %s at start, saying why', (url, problem) => {
    expect(() => loadConfig({ CREDIT_EXCHANGE_DB_URL: url })).toThrow(problem);
  });

  it('refuses it together with CREDIT_URL: one source per system', () => {
    expect(() =>
      loadConfig({ CREDIT_EXCHANGE_DB_URL: 'mysql://root@db:3306/x', CREDIT_URL: 'http://credit.internal' }),
    ).toThrow('CREDIT_EXCHANGE_DB_URL: set it or CREDIT_URL, not both');
  });
});
