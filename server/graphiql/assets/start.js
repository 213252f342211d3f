// Starts GraphiQL in the page served by server/graphiql. It is a file of its
// own, not an inline script, so that the page's Content-Security-Policy can
// forbid inline scripts altogether. The page passes the endpoint and the
// first query in data attributes of the #graphiql element.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = root.getAttribute('data-endpoint');
  var defaultQuery = root.getAttribute('data-default-query');

  // The session cookie of a signed-in person goes along (same origin), and a
  // request with that cookie must carry X-CSRF: 1 or the API refuses it.
  // The header is harmless without a session, so it is always sent.
  // Incremental delivery (multipart answers) is off: the API has no @defer
  // or @stream, and plain JSON is what it answers.
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    headers: { 'X-CSRF': '1' },
    enableIncrementalDelivery: false,
    fetch: function (url, init) {
      return window.fetch(url, Object.assign({}, init, { credentials: 'same-origin' }));
    },
  });

  ReactDOM.createRoot(root).render(
    React.createElement(
      GraphiQL,
      { fetcher: fetcher, defaultQuery: defaultQuery, defaultEditorToolsVisibility: false },
      React.createElement(GraphiQL.Logo, null, 'De Wisselaar API')
    )
  );
})();
