// Layering rules of docs/architecture.md, enforced by `npm run lint`.
// TypeScript 7 ships no JavaScript compiler API, so dependency-cruiser reads the compiled JavaScript in dist/src.
// Type-only imports are erased there; the rules below cover every runtime dependency.
const TESTS = '\\.test\\.js$|\\.contract\\.js$'
const DOMAINS = '^dist/src/(clients|keys|flows|tokens|oidc|trust)/'

module.exports = {
  forbidden: [
    {
      name: 'lib-is-leaf',
      comment: 'src/lib holds pure utilities and imports nothing else from src/.',
      severity: 'error',
      from: { path: '^dist/src/lib/', pathNot: TESTS },
      to: { path: '^dist/src/', pathNot: '^dist/src/lib/' }
    },
    {
      name: 'errors-is-leaf',
      comment: 'src/errors imports nothing else from src/.',
      severity: 'error',
      from: { path: '^dist/src/errors/', pathNot: TESTS },
      to: { path: '^dist/src/', pathNot: '^dist/src/errors/' }
    },
    {
      name: 'services-free-of-http-and-sql',
      comment: 'Services hold domain logic: no fastify, no http/, no persistence/, no kysely.',
      severity: 'error',
      from: { path: '\\.service\\.js$' },
      to: { path: '^dist/src/(http|persistence|app|cli)/|node_modules/(fastify|kysely|pg|mysql2|better-sqlite3)/' }
    },
    {
      name: 'routes-are-thin',
      comment: 'Route files call services; they never reach storage.',
      severity: 'error',
      from: { path: '-routes\\.js$' },
      to: { path: '^dist/src/persistence/|\\.sql\\.js$|node_modules/(kysely|pg|mysql2|better-sqlite3)/' }
    },
    {
      name: 'domains-do-not-know-composition',
      comment: 'Domain folders never import app/, cli/ or persistence/.',
      severity: 'error',
      from: { path: DOMAINS, pathNot: TESTS },
      to: { path: '^dist/src/(app|cli|persistence)/' }
    },
    {
      name: 'http-does-not-know-storage',
      comment: 'http/ glues fastify to domains and never imports persistence/.',
      severity: 'error',
      from: { path: '^dist/src/http/', pathNot: TESTS },
      to: { path: '^dist/src/(persistence|app|cli)/' }
    },
    {
      name: 'persistence-implements-stores-only',
      comment: 'SQL code imports domain types and store interfaces, never services, routes or the HTTP layer.',
      severity: 'error',
      from: { path: '^dist/src/persistence/', pathNot: TESTS },
      to: { path: '\\.service\\.js$|-routes\\.js$|^dist/src/(http|app|cli)/' }
    },
    {
      name: 'only-cli-and-tests-import-app',
      comment: 'app/ is the composition root; only cli/ and tests import it.',
      severity: 'error',
      from: { path: '^dist/src/', pathNot: `^dist/src/(app|cli)/|${TESTS}|^dist/src/main\\.js$` },
      to: { path: '^dist/src/app/' }
    },
    {
      name: 'config-is-near-leaf',
      comment: 'config/ may use lib/ and errors/ only.',
      severity: 'error',
      from: { path: '^dist/src/config/', pathNot: TESTS },
      to: { path: '^dist/src/', pathNot: '^dist/src/(config|lib|errors)/' }
    },
    {
      name: 'ui-is-a-standalone-example',
      comment: 'src/ui is the bundled login app: like any login app it talks to Warden only through the admin API.',
      severity: 'error',
      from: { path: '^dist/src/ui/', pathNot: TESTS },
      to: { path: '^dist/src/', pathNot: '^dist/src/ui/' }
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.map$' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.js'] }
  }
}
