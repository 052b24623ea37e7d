/**
 * The browser-side script that mounts GraphiQL. It is served as a file (not inlined) so the page
 * can carry a Content-Security-Policy without 'unsafe-inline' for scripts. It reads its settings
 * from the page's JSON block, so one static script serves every router configuration.
 * Written in ES5-style JavaScript because it runs untranspiled in the browser.
 */
export const graphqlIdeBootScript = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var props = {
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    defaultQuery: config.exampleQuery,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false
  };
  if (config.defaultHeaders) {
    props.defaultHeaders = config.defaultHeaders;
    props.defaultEditorToolsVisibility = 'headers';
  }
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, props));
})();
`;
