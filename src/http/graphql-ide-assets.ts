import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { graphqlIdeBootScript } from './graphql-ide-boot-script.ts';

/** One file the IDE page loads, and where the router serves it. */
export interface IdeAsset {
  /** URL path, versioned so a package upgrade changes it and long caching stays safe. */
  urlPath: string;
  /** Absolute file path on disk, or the inline content for the generated boot script. */
  source: { file: string } | { content: string; contentType: string };
}

export interface IdeAssets {
  reactJs: IdeAsset;
  reactDomJs: IdeAsset;
  graphiqlJs: IdeAsset;
  graphiqlCss: IdeAsset;
  bootJs: IdeAsset;
  /** Source maps, so a browser's devtools do not log 404s; never referenced by the page. */
  sourceMaps: IdeAsset[];
}

interface PackageJson {
  version: string;
}

/**
 * Finds the IDE's files through Node's resolver rather than a node_modules path, so hoisting,
 * workspaces and pnpm layouts all work. React 18 does not export `umd/*`, so its UMD builds are
 * found next to its (exported) package.json.
 */
export function resolveIdeAssets(assetsPath: string): IdeAssets {
  const require = createRequire(import.meta.url);
  const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
  const versionOf = (name: string) =>
    (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as PackageJson).version;

  const base = assetsPath.replace(/\/+$/, '');
  const fromPackage = (name: string, file: string, absolute: string): IdeAsset => ({
    urlPath: `${base}/${name}-${versionOf(name)}/${file}`,
    source: { file: absolute },
  });

  const graphiqlJs = require.resolve('graphiql/graphiql.min.js');
  const graphiqlCss = require.resolve('graphiql/graphiql.min.css');
  const bootHash = createHash('sha256').update(graphqlIdeBootScript).digest('hex').slice(0, 12);

  return {
    reactJs: fromPackage(
      'react',
      'react.production.min.js',
      join(packageDir('react'), 'umd', 'react.production.min.js'),
    ),
    reactDomJs: fromPackage(
      'react-dom',
      'react-dom.production.min.js',
      join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    ),
    graphiqlJs: fromPackage('graphiql', 'graphiql.min.js', graphiqlJs),
    graphiqlCss: fromPackage('graphiql', 'graphiql.min.css', graphiqlCss),
    bootJs: {
      urlPath: `${base}/boot-${bootHash}.js`,
      source: { content: graphqlIdeBootScript, contentType: 'text/javascript; charset=utf-8' },
    },
    sourceMaps: [
      fromPackage('graphiql', 'graphiql.min.js.map', `${graphiqlJs}.map`),
      fromPackage('graphiql', 'graphiql.min.css.map', `${graphiqlCss}.map`),
    ],
  };
}
