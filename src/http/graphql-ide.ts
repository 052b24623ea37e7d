import { Router } from 'express';
import type { Request, Response } from 'express';
import { resolveIdeAssets } from './graphql-ide-assets.ts';
import type { IdeAsset } from './graphql-ide-assets.ts';
import { ideContentSecurityPolicy, renderIdePage } from './graphql-ide-page.ts';
import { pageSecurityHeaders } from './page-security-headers.ts';

export interface GraphqlIdeOptions {
  /** Where the GraphQL endpoint is mounted; the IDE answers browsers on the same path. */
  endpointPath?: string;
  /** Opened in the editor on a fresh browser (GraphiQL keeps the user's own tabs after that). */
  exampleQuery?: string;
  title?: string;
  /**
   * Pre-fills GraphiQL's headers editor. A function is asked afresh for each page load: a demo
   * token signed then lives its whole lifetime from that load, and one revoked since (signing
   * out) is never handed out again.
   */
  defaultHeaders?: Record<string, string> | (() => Promise<Record<string, string>>);
  /** URL prefix for the IDE's static files. */
  assetsPath?: string;
}

const defaultExampleQuery = `# 在此输入 GraphQL 查询，按 Ctrl-Enter 执行。
# Type a GraphQL query here and press Ctrl-Enter to run it.
{
  __typename
}
`;

/** Asset URLs carry the package version (or a content hash), so they never change in place. */
const assetCacheOptions = { maxAge: '365d', immutable: true } as const;

/**
 * Serves GraphiQL from the installed npm packages, because agency networks cannot reach the
 * CDN that Apollo's default landing page loads from. Mount it before the Apollo middleware;
 * it passes on everything that is not a browser asking for a page.
 */
export function createGraphqlIdeRouter(options: GraphqlIdeOptions = {}): Router {
  const endpointPath = options.endpointPath ?? '/graphql';
  const assets = resolveIdeAssets(options.assetsPath ?? '/ide/assets');
  const pageWith = (defaultHeaders: Record<string, string> | undefined) =>
    renderIdePage(assets, {
      title: options.title ?? 'GraphQL IDE',
      endpointPath,
      exampleQuery: options.exampleQuery ?? defaultExampleQuery,
      defaultHeaders,
    });
  const signHeaders = typeof options.defaultHeaders === 'function' ? options.defaultHeaders : undefined;
  // Rendered once, unless its headers are signed for each load.
  const fixedPage = typeof options.defaultHeaders === 'function' ? undefined : pageWith(options.defaultHeaders);

  const router = Router();

  router.get(endpointPath, async (req, res, next) => {
    if (!wantsIdePage(req)) {
      next();
      return;
    }
    const page = fixedPage ?? pageWith(await signHeaders?.());
    res.vary('Accept');
    res.set({
      ...pageSecurityHeaders,
      'Content-Security-Policy': ideContentSecurityPolicy,
      // The page may embed a demo token through defaultHeaders: no cache may keep it, nor hand it to another.
      'Cache-Control': 'no-store',
    });
    res.type('html').send(page);
  });

  const served: IdeAsset[] = [
    assets.reactJs,
    assets.reactDomJs,
    assets.graphiqlJs,
    assets.graphiqlCss,
    assets.bootJs,
    ...assets.sourceMaps,
  ];
  for (const asset of served) {
    router.get(asset.urlPath, (_req, res) => sendAsset(res, asset));
  }

  return router;
}

/**
 * A browser navigation prefers text/html; curl and GraphQL clients send JSON types or a bare
 * wildcard. A GET that carries `query` is a GraphQL-over-HTTP request, even from a browser.
 */
function wantsIdePage(req: Request): boolean {
  if (req.query !== null && typeof req.query === 'object' && 'query' in req.query) return false;
  if (!req.get('accept')?.includes('text/html')) return false;
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

function sendAsset(res: Response, asset: IdeAsset): void {
  res.set(pageSecurityHeaders);
  if ('file' in asset.source) {
    res.sendFile(asset.source.file, assetCacheOptions);
    return;
  }
  res.set('Cache-Control', 'public, max-age=31536000, immutable');
  res.type(asset.source.contentType).send(asset.source.content);
}
