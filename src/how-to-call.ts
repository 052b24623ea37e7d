import { examplePreset } from './example-query.ts';

/** What `npm start` prints after it is ready: how to send the first request, with a token if one is needed. */
export interface HowToCallOptions {
  /** The GraphQL endpoint, `http://host:port/graphql`. */
  endpoint: string;
  authRequired: boolean;
  /** The local demo issuer is trusted (no AUTH_ISSUERS): a token can be had from it. */
  demoIssuer: boolean;
  /** DATA_DIR: where the demo issuer keeps its keys, so where `npm run token` must read them. */
  dataDir: string;
}

/** The preset the printed commands sign for. */
const PRESET = 'county-analyst';
/** `npm run token` reads ./data unless told otherwise, as the gateway does. */
const DEFAULT_DATA_DIR = './data';

/**
 * Lines of shell a newcomer can paste as printed. The token must come from the keys this gateway
 * trusts: `npm run token` is given the gateway's data folder, and under DATA_DIR=memory:// (keys in
 * this process only, which no other process can sign with) the token is asked of the gateway itself.
 */
export function howToCall(options: HowToCallOptions): string[] {
  const query = `-d '{"query":"{ subjects(first: 2) { totalCount nodes { uscc name permits { permitNo status } credit { grade } } } }"}'`;
  if (!options.authRequired) {
    return [
      'Authentication is OFF (AUTH_REQUIRED=false): every caller sees every field. Try:',
      `  curl -s ${options.endpoint} -H 'content-type: application/json' \\`,
      `    ${query}`,
    ];
  }
  const demo = options.demoIssuer
    ? [
        'Every request needs a bearer token. Get one from the local demo issuer (development only):',
        '  npm run token -- --list                       # the ready-made callers',
        ...demoTokenCommand(options),
        'then:',
      ]
    : ['Every request needs a bearer token from a configured issuer (AUTH_ISSUERS). With one in $TOKEN:'];
  return [
    ...demo,
    `  curl -s ${options.endpoint} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
    `    ${query}`,
    ...(options.demoIssuer
      ? [
          `(the IDE comes with a ${examplePreset} demo token filled in; the web console at / signs in with any demo preset)`,
        ]
      : []),
  ];
}

function demoTokenCommand({ endpoint, dataDir }: HowToCallOptions): string[] {
  if (dataDir.startsWith('memory:')) {
    const route = new URL('/console/demo-token', endpoint).href;
    return [
      `  # DATA_DIR=${dataDir}: the demo issuer's keys live in this process only, so ask the gateway for the token`,
      `  TOKEN=$(curl -s -X POST ${route} -H 'content-type: application/json' -d '{"preset":"${PRESET}"}' \\`,
      `    | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).token')`,
    ];
  }
  const dataDirArgument = dataDir === DEFAULT_DATA_DIR ? '' : ` --data-dir ${shellQuoted(dataDir)}`;
  return [`  TOKEN=$(npm run -s token -- --as ${PRESET}${dataDirArgument})`];
}

/** One shell word, whatever the text holds. */
function shellQuoted(text: string): string {
  return /^[\w./:@%+=,-]+$/u.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The banner's line saying where the gateway keeps its data. */
export function storeLine({ databaseUrl, dataDir }: { databaseUrl?: string; dataDir: string }): string {
  if (databaseUrl) return 'Store: PostgreSQL (DATABASE_URL)';
  if (dataDir.startsWith('memory:'))
    return `Store: embedded PGlite in this process's memory (DATA_DIR=${dataDir}): nothing is kept after it stops`;
  return `Store: embedded PGlite under ${dataDir}/pglite`;
}
