import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphqlMetricsPlugin } from '../../src/http/graphql-metrics-plugin.ts';
import { metricOperationNames } from '../../src/http/operation-metric-names.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import type { Metrics } from '../../src/platform/metrics.ts';

const typeDefs = `
  type Query { hello: String, broken: String }
  type Mutation { touch: Boolean }
`;
const resolvers = {
  Query: {
    hello: () => 'world',
    broken: () => {
      throw new GraphQLError('upstream unavailable', { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    },
  },
  Mutation: { touch: () => true },
};

let metrics: Metrics;
let server: ApolloServer;

beforeEach(async () => {
  metrics = createMetrics();
  // The names a deployment knows (the console's operations, METRICS_OPERATION_NAMES); any other is `other`.
  const known = new Set(['Greeting', 'Touch', 'Broken', 'NoSuchField']);
  server = new ApolloServer({ typeDefs, resolvers, plugins: [graphqlMetricsPlugin(metrics, known)] });
  await server.start();
});

afterEach(async () => {
  await server.stop();
});

async function operationCount(labels: { type: string; name: string; outcome: string }): Promise<number> {
  const { values } = await metrics.graphqlOperations.get();
  return (
    values.find(
      (v) => v.labels.type === labels.type && v.labels.name === labels.name && v.labels.outcome === labels.outcome,
    )?.value ?? 0
  );
}

async function durationCount(labels: { type: string; name: string }): Promise<number> {
  const { values } = await metrics.graphqlDuration.get();
  return (
    values.find(
      (v) =>
        v.metricName === 'gateway_graphql_operation_duration_seconds_count' &&
        v.labels.type === labels.type &&
        v.labels.name === labels.name,
    )?.value ?? 0
  );
}

describe('graphqlMetricsPlugin', () => {
  it('counts a successful named query as ok and observes its duration', async () => {
    await server.executeOperation({ query: 'query Greeting { hello }' });
    await server.executeOperation({ query: 'query Greeting { hello }' });
    expect(await operationCount({ type: 'query', name: 'Greeting', outcome: 'ok' })).toBe(2);
    expect(await durationCount({ type: 'query', name: 'Greeting' })).toBe(2);
  });

  it('labels an operation without a name as anonymous', async () => {
    await server.executeOperation({ query: '{ hello }' });
    expect(await operationCount({ type: 'query', name: 'anonymous', outcome: 'ok' })).toBe(1);
  });

  it('labels mutations with their type', async () => {
    await server.executeOperation({ query: 'mutation Touch { touch }' });
    expect(await operationCount({ type: 'mutation', name: 'Touch', outcome: 'ok' })).toBe(1);
  });

  it('counts a response carrying resolver errors as error', async () => {
    await server.executeOperation({ query: 'query Broken { broken }' });
    expect(await operationCount({ type: 'query', name: 'Broken', outcome: 'error' })).toBe(1);
    expect(await operationCount({ type: 'query', name: 'Broken', outcome: 'ok' })).toBe(0);
  });

  it('counts a document that fails to parse as type unknown with an error outcome', async () => {
    await server.executeOperation({ query: 'query Oops { hello' });
    expect(await operationCount({ type: 'unknown', name: 'anonymous', outcome: 'error' })).toBe(1);
    expect(await durationCount({ type: 'unknown', name: 'anonymous' })).toBe(1);
  });

  it('keeps the operation type for a document that parses but fails validation', async () => {
    await server.executeOperation({ query: 'query NoSuchField { nope }' });
    expect(await operationCount({ type: 'query', name: 'NoSuchField', outcome: 'error' })).toBe(1);
  });

  it('counts an operation whose name it does not know as other, however long the name', async () => {
    const longName = `Q${'x'.repeat(200)}`;
    await server.executeOperation({ query: `query ${longName} { hello }` });
    expect(await operationCount({ type: 'query', name: 'other', outcome: 'ok' })).toBe(1);
  });

  it('keeps the metrics output the same size however many distinct operation names clients send', async () => {
    await server.executeOperation({ query: 'query Probe0 { hello }' });
    const sizeAfterOne = (await metrics.registry.metrics()).length;
    for (let i = 1; i <= 500; i += 1) await server.executeOperation({ query: `query Probe${i} { hello }` });
    expect(await operationCount({ type: 'query', name: 'other', outcome: 'ok' })).toBe(501);
    const { values } = await metrics.graphqlOperations.get();
    expect(values).toHaveLength(1);
    // Only the counts' digits may change; no series is added per name.
    expect((await metrics.registry.metrics()).length).toBeLessThan(sizeAfterOne + 100);
  });
});

describe('metricOperationNames', () => {
  it("knows the web console's committed operations", () => {
    expect(metricOperationNames()).toContain('CheckUscc');
  });

  it('adds the names an operator lists', () => {
    expect(metricOperationNames(['AgencyNightlyExport'])).toContain('AgencyNightlyExport');
  });

  it('knows only the listed names when the console manifest is missing', () => {
    expect([...metricOperationNames(['Only'], '/nonexistent/persisted-documents.json')]).toEqual(['Only']);
  });
});
