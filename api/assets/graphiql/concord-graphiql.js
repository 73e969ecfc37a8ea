// Starts GraphiQL on Concord's /graphiql page. A file of its own, not an inline script, so
// that the page's Content-Security-Policy can refuse every inline script.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var development = root.getAttribute('data-mode') === 'development';

  var http = new URL('/graphql', window.location.href);
  var socket = new URL('/graphql', window.location.href);
  socket.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';

  // Queries and mutations go over HTTP; subscriptions over a WebSocket on the same
  // endpoint (graphql-transport-ws), whose connection_init carries the Headers pane.
  var fetcher = GraphiQL.createFetcher({
    url: http.href,
    subscriptionUrl: socket.href,
  });

  var help = [
    '# Welcome to Concord.',
    '#',
    '# Every request needs a bearer token. Open the Headers pane (below this editor) and',
    '# paste your token there as:',
    '#',
    '#   {"Authorization": "Bearer <your token>"}',
    '#',
    '# Subscriptions send the same header when their WebSocket opens.',
  ];
  var example = [
    '#',
    '# Development mode: the tokens of the demo users are printed when `concord` starts.',
    '',
    'query WhoAmI {',
    '  me {',
    '    subject',
    '    name',
    '    roles',
    '    agency {',
    '      code',
    '      name',
    '    }',
    '  }',
    '}',
    '',
  ];
  var defaultQuery = (development ? help.concat(example) : help.concat([''])).join('\n');

  // GraphiQL keeps its tabs and its query history, with each run's Headers pane (the bearer
  // token), in the storage it is given; by default that is the browser's localStorage, where
  // the token would outlive the page. This page gives it memory that goes with the tab.
  var memory = {};
  var storage = {
    getItem: function (key) {
      return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
    },
    setItem: function (key, value) {
      memory[key] = String(value);
    },
    removeItem: function (key) {
      delete memory[key];
    },
    clear: function () {
      memory = {};
    },
    get length() {
      return Object.keys(memory).length;
    },
  };

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: development ? '{"Authorization": "Bearer "}' : undefined,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
      storage: storage,
    }),
  );
})();
