import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { DEMO_PRESETS, findDemoPreset } from '../auth/demo-presets.ts';
import { onlyMethods } from './unmatched-requests.ts';
import { pageSecurityHeaders } from './page-security-headers.ts';
import type { ConsoleOidcConfig } from '../auth/console-oidc-config.ts';

/** Where `npm run build:web` (run by `npm install`) writes the console. */
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * The console is bundled and served from here, never from a CDN. Scripts only from this origin
 * and no inline script; Ant Design writes its CSS-in-JS into <style> elements, hence inline
 * styles; ECharts draws on canvas and exports through blob: URLs.
 */
export function consoleContentSecurityPolicyFor(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // The identity platform's discovery, keys and token endpoints are fetched by the page itself.
    ["connect-src 'self'", ...connectOrigins].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy with no identity platform (demo sign-in, or none). */
export const consoleContentSecurityPolicy = consoleContentSecurityPolicyFor();

export interface ConsoleOptions {
  distDir?: string;
  /** Signs a demo preset's token; present only while the local demo issuer is the one trusted. */
  demoToken?: ((preset: string) => Promise<string>) | undefined;
  /** Whether requests need a bearer token at all (AUTH_REQUIRED). */
  authRequired: boolean;
  /** Sign-in through the configured identity platform (CONSOLE_OIDC_*). */
  oidc?: ConsoleOidcConfig | undefined;
}

/**
 * How the console signs in: with a demo preset, through the identity platform (OpenID Connect),
 * with no token at all, or not at all (an issuer is configured but no console client for it).
 */
export type ConsoleSignIn = 'demo' | 'oidc' | 'none' | 'unavailable';

/**
 * The web console at `/`: its static build, and two small JSON routes the sign-in page needs.
 * Mount before the GraphQL routes; it answers nothing under /graphql.
 */
export function createConsoleRouter(options: ConsoleOptions): Router {
  const distDir = options.distDir ?? CONSOLE_DIST_DIR;
  const router = Router();
  const oidc = options.authRequired ? options.oidc : undefined;
  const signIn: ConsoleSignIn = !options.authRequired
    ? 'none'
    : options.demoToken
      ? 'demo'
      : oidc
        ? 'oidc'
        : 'unavailable';
  const contentSecurityPolicy = consoleContentSecurityPolicyFor(oidc ? [new URL(oidc.issuer).origin] : []);

  router.get('/console/session-options', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({
      signIn,
      presets:
        signIn === 'demo'
          ? DEMO_PRESETS.map(({ name, description, authorityCode, authorityName, authorityKind, roles, kind }) => ({
              name,
              description,
              authorityCode,
              authorityName,
              authorityKind,
              roles,
              kind,
            }))
          : [],
      ...(signIn === 'oidc' && oidc
        ? {
            oidc: {
              issuer: oidc.issuer,
              clientId: oidc.clientId,
              scope: oidc.scope,
              ...(oidc.resource ? { resource: oidc.resource } : {}),
            },
          }
        : {}),
    });
  });

  router.post('/console/demo-token', express.json({ limit: '1kb' }), (req, res, next) => {
    const demoToken = options.demoToken;
    if (!demoToken) {
      refuse(
        res,
        404,
        'NOT_FOUND',
        'demo_issuer_not_trusted',
        'demo tokens exist only while no AUTH_ISSUERS is configured',
      );
      return;
    }
    const preset: unknown = (req.body as Record<string, unknown> | undefined)?.preset;
    if (typeof preset !== 'string' || findDemoPreset(preset) === undefined) {
      refuse(
        res,
        400,
        'BAD_USER_INPUT',
        'unknown_preset',
        `preset must be one of ${DEMO_PRESETS.map((p) => p.name).join(', ')}`,
      );
      return;
    }
    demoToken(preset).then((token) => {
      res.set('Cache-Control', 'no-store');
      res.json({ token });
    }, next);
  });

  router.all('/console/session-options', onlyMethods('GET'));
  router.all('/console/demo-token', onlyMethods('POST'));

  const indexFile = join(distDir, 'index.html');
  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
      setHeaders: (res) => res.set(pageSecurityHeaders),
    }),
  );
  router.get('/', (req: Request, res: Response) => {
    res.set({
      ...pageSecurityHeaders,
      'Content-Security-Policy': contentSecurityPolicy,
      'Cache-Control': 'no-cache',
    });
    if (!existsSync(indexFile)) {
      res
        .status(404)
        .type('text')
        .send(
          `The console is not built: run \`npm run build:web\` (npm install does it). GraphQL is at ${req.baseUrl}/graphql.`,
        );
      return;
    }
    res.sendFile(indexFile);
  });
  router.all('/', onlyMethods('GET'));
  return router;
}

function refuse(res: Response, status: number, code: string, reason: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code, reason } }] });
}
