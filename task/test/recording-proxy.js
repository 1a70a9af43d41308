'use strict';
// An HTTP proxy that only records what it is asked: for each CONNECT (an
// https request through the proxy) or absolute-URL request (plain http), the
// target and the Proxy-Authorization header. It forwards nothing: a CONNECT
// gets 502, so the client behind it reports the API unreachable.

const http = require('node:http');

/** Starts the proxy on a free loopback port: { url, seen, close() }. */
async function startRecordingProxy() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, target: req.url, auth: req.headers['proxy-authorization'] || '' });
    res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end('recording proxy: nothing is forwarded\n');
  });
  server.on('connect', (req, socket) => {
    seen.push({ method: 'CONNECT', target: req.url, auth: req.headers['proxy-authorization'] || '' });
    socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

module.exports = { startRecordingProxy };
