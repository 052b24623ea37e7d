import type { Request } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { createContextFactory, letGoOfLoaders, type ContextDependencies } from '../../src/request-context.ts';

// The request-id middleware is not in front of this factory; the context only needs an id.
vi.mock('../../src/http/request-id.ts', () => ({
  requestIdOf: () => 'request-1',
  requestLogHandle: () => ({ logger: undefined }),
}));

const contextOf = async () => {
  const factory = createContextFactory({
    connectors: { reportingTo: () => ({}) },
    registry: {},
    reference: {},
    declarations: new Map(),
    modules: [],
  } as unknown as ContextDependencies);
  return factory({} as Request);
};

describe("a request's loaders once its execution has ended", () => {
  it('are the same loaders for every read until then', async () => {
    const context = await contextOf();
    expect(context.loaders).toBe(context.loaders);
  });

  it('are let go, also through the copy of the context Apollo hands resolvers', async () => {
    const context = await contextOf();
    void context.loaders;
    const apollosCopy = Object.assign(Object.create(Object.getPrototypeOf(context) as object) as object, context);
    letGoOfLoaders(apollosCopy);
    expect(() => context.loaders).toThrow(/has been executed/);
  });

  it('are not built afresh for a resolver still running after its operation settled, so no agency is called again', async () => {
    const context = await contextOf();
    letGoOfLoaders(context);
    expect(() => context.loaders).toThrow('the operation has been executed: its request reads no agency any more');
  });

  it('leave a context built elsewhere alone', () => {
    expect(() => letGoOfLoaders({ loaders: {} })).not.toThrow();
  });
});
