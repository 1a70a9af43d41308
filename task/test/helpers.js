'use strict';
// Shared by the task tests and the mock-run files: tokens that pass
// pat-check's offline format check, and where things live.

const path = require('path');

const taskDir = path.resolve(__dirname, '..', 'PatCheckV1');
const taskJsonPath = path.join(taskDir, 'task.json');
const launcherPath = path.join(taskDir, 'index.js');

// CRC-32/IEEE, as Go's crc32.ChecksumIEEE (Node 20 has no zlib.crc32): the
// one the .vsix tooling computes for zip entries.
const { crc32 } = require('../../scripts/vsix.js');

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// base62 of n in six characters, left-padded with '0' (62^6 > 2^32).
function base62(n) {
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

/**
 * A classic GitHub token (ghp_) whose checksum is right: 30 base62
 * characters derived from seed, then the CRC-32 of those 30 in base62.
 */
function classicToken(seed) {
  let body = '';
  for (let i = 0; body.length < 30; i++) {
    const c = BASE62[(seed.charCodeAt(i % seed.length) * 31 + i * 7) % 62];
    body += c;
  }
  return `ghp_${body}${base62(crc32(Buffer.from(body, 'ascii')))}`;
}

/** The GitHub-Authentication-Token-Expiration form: 2027-01-31 23:00:00 UTC. */
function githubExpiration(date) {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

module.exports = { taskDir, taskJsonPath, launcherPath, crc32, base62, classicToken, githubExpiration };

// The tokens the scenarios use: both well-formed; the fake API knows only
// the first, so the second behaves as a revoked token.
const TOKENS = {
  valid: classicToken('pat-check task test: valid'),
  revoked: classicToken('pat-check task test: revoked'),
};

// Variables through which a test hands the fake API's address and the
// agent's temp folder to its mock-run file (a child process).
const ENV_API_URL = 'PAT_CHECK_TEST_API_URL';
const ENV_AGENT_TEMP = 'PAT_CHECK_TEST_AGENT_TEMP';

module.exports.TOKENS = TOKENS;
module.exports.ENV_API_URL = ENV_API_URL;
module.exports.ENV_AGENT_TEMP = ENV_AGENT_TEMP;

// What the proxy scenario's mock-run file reads (mock-runs/proxy.js).
module.exports.ENV_PROXY = {
  url: 'PAT_CHECK_TEST_PROXY_URL',
  user: 'PAT_CHECK_TEST_PROXY_USER',
  password: 'PAT_CHECK_TEST_PROXY_PASSWORD',
  bypass: 'PAT_CHECK_TEST_PROXY_BYPASS',
  api: 'PAT_CHECK_TEST_PROXY_API',
};
