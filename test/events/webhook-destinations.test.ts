import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { loadWebhookConfig } from '../../src/modules/events/webhook-config.ts';
import { resolvedDestinationRefusal } from '../../src/modules/events/webhook-destination-lookup.ts';
import { readWebhookDestinationPolicy } from '../../src/modules/events/webhook-destination-policy.ts';
import { webhookUrlProblem } from '../../src/modules/events/webhook-url.ts';
import { URLS_ON_DEFAULT_PORTS } from './webhook-receiver.ts';

const policyOf = (env: NodeJS.ProcessEnv) => readWebhookDestinationPolicy(env).policy;
const resolvingTo =
  (...addresses: string[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook destinations by default', () => {
  it.each([
    ['http://127.0.0.1/hook', 'loopback'],
    ['http://127.1/hook', 'loopback'],
    ['http://0x7f000001/hook', 'loopback'],
    ['http://2130706433/hook', 'loopback'],
    ['http://0177.0.0.1/hook', 'loopback'],
    ['http://0x7f.1/hook', 'loopback'],
    ['http://127.0.0.1./hook', 'loopback'],
    ['http://[::1]/hook', 'loopback'],
    ['http://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/hook', 'loopback'],
    ['http://[::127.0.0.1]/hook', 'loopback'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[fe80::1]/hook', 'link-local'],
    ['http://10.1.2.3/hook', 'private'],
    ['http://012.1.2.3/hook', 'private'],
    ['http://172.16.0.1/hook', 'private'],
    ['http://192.168.1.1/hook', 'private'],
    ['http://3232235777/hook', 'private'],
    ['http://[::ffff:10.0.0.1]/hook', 'private'],
    ['http://[fc00::1]/hook', 'unique-local'],
    ['http://[fd12:3456::1]/hook', 'unique-local'],
    ['http://224.0.0.1/hook', 'multicast'],
    ['http://[ff02::1]/hook', 'multicast'],
    ['http://0.0.0.0/hook', 'unspecified'],
    ['http://0/hook', 'unspecified'],
    ['http://[::]/hook', 'unspecified'],
    ['http://255.255.255.255/hook', 'broadcast'],
    ['http://100.64.0.1/hook', 'carrier-grade NAT'],
    ['http://198.18.0.1/hook', 'special-purpose'],
    ['http://[64:ff9b::7f00:1]/hook', 'special-purpose'],
    ['http://[2002:7f00:1::]/hook', 'special-purpose'],
    ['http://localhost/hook', 'this machine: 127.0.0.1 is a loopback'],
    ['http://LOCALHOST./hook', 'this machine'],
    ['http://api.localhost/hook', 'this machine'],
  ])('refuses %s as %s', (url, kind) => {
    expect(webhookUrlProblem(url)).toContain(kind);
  });

  it.each([
    'https://93.184.216.34/hook',
    'https://[2001:4860:4860::8888]/hook',
    'https://receiver.example/hook',
    'http://[::ffff:8.8.8.8]/',
  ])('accepts the public destination %s', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });
});

describe('host names that reach inside whatever DNS says', () => {
  it.each([
    ['http://metadata.google.internal/computeMetadata/v1/', 'cloud instance-metadata service'],
    ['http://METADATA.google.internal./computeMetadata/v1/', 'cloud instance-metadata service'],
    ['http://metadata.google.internal../computeMetadata/v1/', 'cloud instance-metadata service'],
    ['http://metadata\u3002google\u3002internal/computeMetadata/v1/', 'cloud instance-metadata service'],
    ['http://metadata.goog/computeMetadata/v1/', 'cloud instance-metadata service'],
    ['http://metadata.tencentyun.com/latest/meta-data/', 'cloud instance-metadata service'],
    ['http://instance-data.ec2.internal/latest/meta-data/', 'cloud instance-metadata service'],
    ['http://metadata/computeMetadata/v1/', 'single-label name'],
    ['http://instance-data/latest/meta-data/', 'single-label name'],
    ['http://kubernetes.default.svc/api', 'in .svc'],
    ['http://redis.cache.svc.cluster.local:6379/', 'in .local'],
    ['http://printer.local/hook', 'in .local'],
    ['http://db.corp.internal/hook', 'in .internal'],
    ['http://nas.home.arpa/hook', 'in .home.arpa'],
  ])('refuses %s without a lookup, as %s', (url, kind) => {
    expect(webhookUrlProblem(url)).toContain(kind);
    expect(webhookUrlProblem(url)).toContain('WEBHOOK_ALLOWED_HOSTS');
  });

  it('accepts an internal name that WEBHOOK_ALLOWED_HOSTS names exactly, and no other', () => {
    const policy = policyOf({ WEBHOOK_ALLOWED_HOSTS: 'receiver.agency.internal' });
    expect(webhookUrlProblem('https://receiver.agency.internal/hook', policy)).toBeNull();
    expect(webhookUrlProblem('https://metadata.google.internal/hook', policy)).toContain('metadata');
  });

  it('still accepts public names that merely contain such words', () => {
    expect(webhookUrlProblem('https://metadata.example.com/hook')).toBeNull();
    expect(webhookUrlProblem('https://internal.gov.cn/hook')).toBeNull();
  });
});

describe('internal receivers permitted explicitly', () => {
  it('accepts addresses inside WEBHOOK_ALLOWED_CIDRS and nothing beside them', () => {
    const policy = policyOf({ WEBHOOK_ALLOWED_CIDRS: '10.12.0.0/16, fd00:12::/32' });
    expect(webhookUrlProblem('http://10.12.3.4/hook', policy)).toBeNull();
    expect(webhookUrlProblem('http://[::ffff:10.12.3.4]/hook', policy)).toBeNull();
    expect(webhookUrlProblem('http://[fd00:12::7]/hook', policy)).toBeNull();
    expect(webhookUrlProblem('http://10.13.0.1/hook', policy)).toContain('private');
    expect(webhookUrlProblem('http://127.0.0.1/hook', policy)).toContain('loopback');
  });

  it('accepts a host named in WEBHOOK_ALLOWED_HOSTS whatever it resolves to', async () => {
    const policy = policyOf({ WEBHOOK_ALLOWED_HOSTS: 'Receiver.Internal.gov.cn' });
    expect(webhookUrlProblem('https://receiver.internal.gov.cn/hook', policy)).toBeNull();
    expect(
      await resolvedDestinationRefusal('https://receiver.internal.gov.cn/hook', policy, resolvingTo('10.0.0.5')),
    ).toBeNull();
  });

  it('refuses to start with a malformed allow-list, naming the variable and the entry', () => {
    expect(() => loadWebhookConfig({ WEBHOOK_ALLOWED_CIDRS: '10.0.0.0/8,10.0.0.300/8' })).toThrow(
      /WEBHOOK_ALLOWED_CIDRS: "10\.0\.0\.300\/8"/,
    );
  });
});

describe('the port a webhook may go to', () => {
  it.each([
    ['http://receiver.example:22/hook', 22, 'SSH'],
    ['https://receiver.example:25/hook', 25, 'SMTP'],
    ['http://receiver.example:6379/hook', 6379, 'Redis'],
    ['http://93.184.216.34:5432/hook', 5432, 'PostgreSQL'],
    ['http://receiver.example:0022/hook', 22, 'SSH, written with leading zeros'],
    ['http://receiver.example:0/hook', 0, 'no port at all'],
  ])('refuses %s by default, naming port %i (%s)', (url, port) => {
    expect(webhookUrlProblem(url)).toBe(
      `port ${port} is not one webhooks may go to (80, 443, 8080, 8443) unless WEBHOOK_ALLOWED_PORTS permits it`,
    );
  });

  it.each([...URLS_ON_DEFAULT_PORTS, 'https://receiver.example:080/hook'])('accepts %s, on a default port', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it('holds internal receivers the operator permits to the ports too: their other services are what the rule protects', () => {
    const policy = policyOf({
      WEBHOOK_ALLOWED_CIDRS: '10.12.0.0/16',
      WEBHOOK_ALLOWED_HOSTS: 'receiver.agency.internal',
    });
    expect(webhookUrlProblem('http://10.12.3.4:8080/hook', policy)).toBeNull();
    expect(webhookUrlProblem('http://10.12.3.4:6379/', policy)).toContain('port 6379');
    expect(webhookUrlProblem('http://receiver.agency.internal:22/', policy)).toContain('port 22');
  });

  it('names the address before the port when both are refused', () => {
    expect(webhookUrlProblem('http://127.0.0.1:22/')).toContain('loopback');
  });

  it('takes WEBHOOK_ALLOWED_PORTS instead of the defaults, ports and ranges alike', () => {
    const policy = policyOf({ WEBHOOK_ALLOWED_PORTS: '443, 9000-9099' });
    expect(webhookUrlProblem('https://receiver.example/hook', policy)).toBeNull();
    expect(webhookUrlProblem('https://receiver.example:9000/hook', policy)).toBeNull();
    expect(webhookUrlProblem('https://receiver.example:9099/hook', policy)).toBeNull();
    expect(webhookUrlProblem('https://receiver.example:9100/hook', policy)).toBe(
      'port 9100 is not one webhooks may go to (443, 9000-9099) unless WEBHOOK_ALLOWED_PORTS permits it',
    );
    expect(webhookUrlProblem('http://receiver.example/hook', policy)).toContain('port 80 ');
  });

  it.each([
    ['', 'names no port'],
    [',', 'names no port'],
    ['0', '"0" is neither'],
    ['65536', '"65536" is neither'],
    ['8080-80', '"8080-80" is neither'],
    ['443;8443', '"443;8443" is neither'],
    ['0x1bb', '"0x1bb" is neither'],
    ['1e3', '"1e3" is neither'],
    ['-1', '"-1" is neither'],
    ['https', '"https" is neither'],
    ['443,*', '"*" is neither'],
  ])('refuses to start with WEBHOOK_ALLOWED_PORTS=%j, naming the value and what would do', (value, why) => {
    expect(() => loadWebhookConfig({ WEBHOOK_ALLOWED_PORTS: value })).toThrow(
      `WEBHOOK_ALLOWED_PORTS=${JSON.stringify(value)}: `,
    );
    expect(() => loadWebhookConfig({ WEBHOOK_ALLOWED_PORTS: value })).toThrow(why);
  });

  it('reads WEBHOOK_ALLOWED_PORTS into the configuration, and the defaults when it is unset', () => {
    expect(loadWebhookConfig({ WEBHOOK_ALLOWED_PORTS: '443,,8000-8999' }).destinations.allowedPorts).toEqual([
      { from: 443, to: 443 },
      { from: 8000, to: 8999 },
    ]);
    expect(loadWebhookConfig({}).destinations.allowedPorts.map(({ from }) => from)).toEqual([80, 443, 8080, 8443]);
  });
});

describe('host names at subscription time', () => {
  const policy = policyOf({});

  it('refuses a name that resolves to an internal address, as destination_address_not_public', async () => {
    expect(await resolvedDestinationRefusal('https://sneaky.example/hook', policy, resolvingTo('127.0.0.1'))).toEqual({
      reason: 'destination_address_not_public',
      message: expect.stringContaining('loopback'),
    });
  });

  it('refuses a name when any of its addresses is internal', async () => {
    expect(
      await resolvedDestinationRefusal('https://mixed.example/hook', policy, resolvingTo('93.184.216.34', '10.0.0.1')),
    ).toEqual({ reason: 'destination_address_not_public', message: expect.stringContaining('private') });
  });

  it('accepts a name that does not resolve yet: every send resolves and checks it again', async () => {
    const nowhere = async (): Promise<LookupAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await resolvedDestinationRefusal('https://not-yet.example/hook', policy, nowhere)).toBeNull();
  });
});
