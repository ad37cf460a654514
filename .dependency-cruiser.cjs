/** Dependencies point inward: core imports nothing from the outer layers; no cycles. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      severity: 'error',
      from: { path: '^src/core' },
      to: { path: '^src/(store|api|ingest|cli|stream|access|audit|server)' },
    },
    {
      name: 'store-below-api',
      severity: 'error',
      from: { path: '^src/(store|ingest)' },
      to: { path: '^src/(api|cli)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
