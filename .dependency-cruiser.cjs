/**
 * The layering rules of docs/architecture.md, checked in CI (`npm run lint:layers`).
 * Each rule names the promise it keeps, so a violation explains itself.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle makes start-up order and ownership ambiguous.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-imports-nothing',
      comment: 'src/domain holds pure types and rules; it may use node built-ins and itself only.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'connectors-know-no-graphql-or-store',
      comment:
        "Connectors speak an agency's wire format and return domain types; GraphQL and the store are above them.",
      severity: 'error',
      from: { path: '^src/connectors/' },
      to: {
        path: [
          '^node_modules/(graphql|@apollo|@prisma|@electric-sql|pg)/',
          '^src/(store|resolvers|permissions|modules|http|platform)/',
          '^src/generated/',
        ],
        // The platform's errors and metrics are below the connectors; its store and outbox are not.
        pathNot: ['^src/platform/(errors|metrics|logger)\\.ts$'],
      },
    },
    {
      name: 'simulators-only-by-dynamic-import',
      comment: 'Production code loads the simulated world only when configured, by dynamic import.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^simulators/', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'modules-through-their-index',
      comment: 'Another module is reached only through its public index.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
