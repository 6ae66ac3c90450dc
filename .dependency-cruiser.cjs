/** Import rules of ARCHITECTURE.md and HOUSE_STYLE §7.1: dependencies point inward. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'shared/domain imports no vendor SDK, no adapters, no http layer.',
      severity: 'error',
      from: { path: '^shared/domain' },
      to: {
        path: [
          '@aws-sdk',
          '@aws-lambda-powertools',
          '@middy',
          '@octokit',
          'better-sqlite3',
          'aws-lambda',
          'aws-cdk-lib',
          '^shared/(adapters|http|runtime|config|observability)',
          '^functions',
          '^bin',
          '^lib',
        ],
      },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      from: { path: '^shared/ports' },
      to: { path: ['^shared/(adapters|http|runtime)', 'node_modules'] },
    },
    {
      name: 'adapters-not-upward',
      severity: 'error',
      from: { path: '^shared/adapters' },
      to: { path: '^shared/(http|runtime)|^functions|^bin|^lib' },
    },
    {
      name: 'functions-through-http-or-runtime',
      severity: 'error',
      from: { path: '^functions' },
      to: { path: '^shared/adapters|better-sqlite3|@aws-sdk' },
    },
    {
      name: 'cdk-only-table-schema',
      severity: 'error',
      from: { path: '^lib' },
      to: {
        path: '^shared',
        pathNot:
          '^shared/(adapters/dynamodb/table-schema|http/routes|config/stack-config)',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
