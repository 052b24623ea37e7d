/**
 * `npm run token -- --as <preset> [--purpose <matter no>] [--expires 8h] [--data-dir ./data]`
 * prints a token signed by the local demo issuer (keys generated on first use under
 * <data dir>/demo-issuer/); `--list` prints the presets. Only the token goes to stdout, so
 * `TOKEN=$(npm run -s token -- --as auditor)` works.
 */
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { loadAuthConfig, trustsDemoIssuer } from '../src/auth/auth-config.ts';
import { signDemoToken } from '../src/auth/demo-issuer.ts';
import { DEMO_PRESETS, findDemoPreset } from '../src/auth/demo-presets.ts';

const USAGE =
  'usage: npm run token -- --as <preset> [--purpose <matter no>] [--expires 8h] [--data-dir ./data] | --list';

function presetList(): string {
  const width = Math.max(...DEMO_PRESETS.map((p) => p.name.length));
  return DEMO_PRESETS.map(
    (p) =>
      `  ${p.name.padEnd(width)}  ${p.roles.join(',')} of ${p.authorityCode} ${p.authorityName} (${p.kind.toLowerCase()}): ${p.description}`,
  ).join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      as: { type: 'string' },
      purpose: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      'data-dir': { type: 'string' },
      list: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.list) {
    console.log(presetList());
    return 0;
  }
  if (values.as === undefined) {
    console.error(`${USAGE}\n\npresets:\n${presetList()}`);
    return 2;
  }
  const preset = findDemoPreset(values.as);
  if (preset === undefined) {
    console.error(`unknown preset ${JSON.stringify(values.as)}; the presets are:\n${presetList()}`);
    return 2;
  }
  const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './data';
  if (dataDir.startsWith('memory:')) {
    // Keys made here would live in this command's memory alone: no gateway could verify the token.
    console.error(
      `under DATA_DIR=${dataDir} the demo issuer's keys live in the gateway's process only; ask the gateway:\n` +
        `  curl -s -X POST http://127.0.0.1:${process.env.PORT ?? 4000}/console/demo-token -H 'content-type: application/json' -d '{"preset":"${preset.name}"}'\n` +
        '(it answers {"token":…}; the address is the gateway\'s, PORT as it was started)',
    );
    return 2;
  }
  // Sign for the audience and claim names this gateway's environment configures.
  const config = loadAuthConfig(process.env);
  if (!trustsDemoIssuer(config)) {
    console.error('warning: AUTH_ISSUERS is set, so this gateway does not accept demo tokens.');
  }
  const token = await signDemoToken(preset, {
    dataDir,
    purpose: values.purpose,
    expiresIn: values.expires,
    audience: config.audience,
    claims: config.claims,
    maxLifetimeSeconds: config.maxTokenLifetimeSeconds,
  });
  const { iat = 0, exp = 0 } = decodeJwt(token);
  if (exp - iat > config.maxTokenLifetimeSeconds) {
    console.error(
      `warning: this gateway refuses tokens living longer than ${config.maxTokenLifetimeSeconds} s (AUTH_MAX_TOKEN_LIFETIME_SECONDS).`,
    );
  }
  console.log(token);
  return 0;
}

/** A mistake on the command line (exit 2), as opposed to a failure to sign (exit 1). */
function isUsageError(error: unknown): string | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code.startsWith('ERR_PARSE_ARGS')) return `${error.message}\n${USAGE}`;
  if (/time period/i.test(error.message)) return '--expires must be a time span such as 8h, 30m or 2d.';
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usageError = isUsageError(error);
    console.error(usageError ?? (error instanceof Error ? error.message : error));
    process.exitCode = usageError === undefined ? 1 : 2;
  },
);
