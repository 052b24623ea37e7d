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
  // GraphiQL's history and favourites keep each run's headers in localStorage whatever
  // shouldPersistHeaders says (graphiql 3.8). Headers carry bearer tokens, which must not outlive
  // the tab in storage that any script of this origin (the console's too) can read: written
  // through this storage, those two lists keep queries and variables only.
  var HISTORY_KEYS = { 'graphiql:queries': true, 'graphiql:favorites': true };
  function withoutHeaders(key, value) {
    if (!HISTORY_KEYS[key] || typeof value !== 'string') return value;
    try {
      var parsed = JSON.parse(value);
      Object.keys(parsed).forEach(function (list) {
        if (Array.isArray(parsed[list])) parsed[list].forEach(function (item) { if (item) delete item.headers; });
      });
      return JSON.stringify(parsed);
    } catch (notJson) {
      return null;
    }
  }
  var storage = {
    getItem: function (key) { return localStorage.getItem(key); },
    setItem: function (key, value) {
      var kept = withoutHeaders(key, value);
      if (kept === null) localStorage.removeItem(key);
      else localStorage.setItem(key, kept);
    },
    removeItem: function (key) { localStorage.removeItem(key); },
    clear: function () {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf('graphiql:') === 0) localStorage.removeItem(key);
      });
    },
    get length() {
      return Object.keys(localStorage).filter(function (key) { return key.indexOf('graphiql:') === 0; }).length;
    }
  };
  // Lists written before this page stripped them lose their headers now.
  Object.keys(HISTORY_KEYS).forEach(function (key) {
    var stored = localStorage.getItem(key);
    if (stored !== null) storage.setItem(key, stored);
  });
  var props = {
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    storage: storage,
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
