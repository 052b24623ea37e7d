import type { IdeAssets } from './graphql-ide-assets.ts';

export interface IdePageSettings {
  title: string;
  endpointPath: string;
  exampleQuery: string;
  defaultHeaders: Record<string, string> | undefined;
}

/**
 * Every resource the page may use comes from this server; `data:` is allowed only because the
 * GraphiQL stylesheet embeds its fonts and icons that way. connect-src 'self' means even a
 * future GraphiQL change that tried to reach a CDN would be blocked, not silently leak.
 */
export const ideContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  // GraphiQL and its editors set inline styles and inject <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function renderIdePage(assets: IdeAssets, settings: IdePageSettings): string {
  const config = {
    endpoint: settings.endpointPath,
    exampleQuery: settings.exampleQuery,
    defaultHeaders: settings.defaultHeaders ? JSON.stringify(settings.defaultHeaders, null, 2) : undefined,
  };
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(settings.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(assets.graphiqlCss.urlPath)}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script type="application/json" id="graphiql-config">${jsonForScriptBlock(config)}</script>
<script src="${escapeHtml(assets.reactJs.urlPath)}"></script>
<script src="${escapeHtml(assets.reactDomJs.urlPath)}"></script>
<script src="${escapeHtml(assets.graphiqlJs.urlPath)}"></script>
<script src="${escapeHtml(assets.bootJs.urlPath)}"></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside <script> must not be able to close the element or open a comment. */
function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
