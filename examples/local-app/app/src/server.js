// orders-api: a tiny HTTP service (the sample app the local example scans)
const http = require('http');
const { lookupOrder } = require('./orders');
const ms = require('ms');
const { config } = require('./config');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/orders') {
    const order = lookupOrder(url.searchParams.get('id'), url.searchParams.get('field'));
    res.writeHead(order ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(order ?? { error: 'not found' }));
    return;
  }
  if (url.pathname === '/search') {
    // the query becomes a regular expression: a user can send one that never ends (ReDoS)
    const pattern = new RegExp(url.searchParams.get('q') ?? '');
    res.end(JSON.stringify({ match: pattern.test('order-1') }));
    return;
  }
  res.writeHead(404);
  res.end();
});

server.keepAliveTimeout = ms('5s');
if (require.main === module) server.listen(config.port);
module.exports = { server };
