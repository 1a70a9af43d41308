'use strict';
// A fake GitHub API for the task tests, run in a worker thread: the
// MockTestRunner runs each task with spawnSync, which blocks the test's own
// event loop, so a server on the main thread could never answer.
//
// GET /user answers as GitHub does for a classic token: 200 with the login,
// the granted scopes in X-OAuth-Scopes and the expiry in
// GitHub-Authentication-Token-Expiration; 401 "Bad credentials" for any
// token it does not know. Everything else is 404. Each request is reported
// to the parent (method, path, and whether the token was known), never the
// token itself.

const http = require('http');
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

function serve({ tokens }) {
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization || '';
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
    const known = m && Object.prototype.hasOwnProperty.call(tokens, m[1]) ? tokens[m[1]] : null;
    parentPort.postMessage({ type: 'request', method: req.method, path: req.url, known: Boolean(known) });
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('X-GitHub-Media-Type', 'github.v3; format=json');
    const path = req.url.split('?')[0];
    if (req.method !== 'GET' || path !== '/user') {
      res.writeHead(404);
      res.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    if (!known) {
      res.writeHead(401);
      res.end(JSON.stringify({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }));
      return;
    }
    res.setHeader('X-OAuth-Scopes', known.scopes);
    res.setHeader('X-Accepted-OAuth-Scopes', '');
    if (known.expiration) {
      res.setHeader('GitHub-Authentication-Token-Expiration', known.expiration);
    }
    res.writeHead(200);
    res.end(JSON.stringify({ login: known.login, id: 1, type: 'User' }));
  });
  server.listen(0, '127.0.0.1', () => {
    parentPort.postMessage({ type: 'listening', port: server.address().port });
  });
}

/**
 * Starts the fake API in a worker. tokens maps each known token to
 * {login, scopes, expiration}. Resolves to {url, requests, close}.
 */
function startFakeGitHub(tokens) {
  const worker = new Worker(__filename, { workerData: { tokens } });
  const requests = [];
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (msg) => {
      if (msg.type === 'request') {
        requests.push(msg);
      } else if (msg.type === 'listening') {
        resolve({
          url: `http://127.0.0.1:${msg.port}`,
          requests,
          close: () => worker.terminate(),
        });
      }
    });
  });
}

if (!isMainThread) {
  serve(workerData);
}

module.exports = { startFakeGitHub };
