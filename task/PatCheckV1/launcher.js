'use strict';
// The PatCheck task's launcher: the agent can only run a Node script, so this
// picks the pat-check binary built for the agent's OS and architecture and
// runs it with the task's environment, plus the agent's proxy (if any) in
// the variables the binary reads.
//
// It deliberately does not use azure-pipelines-task-lib: importing it moves
// INPUT_* and SECRET_* out of process.env, and the binary reads its inputs
// from exactly those variables. It has no dependencies at all, so the task
// folder ships nothing but this file, index.js, task.json and the binaries.
//
// index.js is the entry point the agent runs; the logic lives here so that
// tests can require it without starting a check.

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

// Node's names → Go's names, for the platforms pat-check is built for.
const GOOS = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const GOARCH = { x64: 'amd64', arm64: 'arm64' };

/**
 * Maps Node's process.platform and process.arch to the binary's folder under
 * bin/. Returns null for a platform pat-check is not built for.
 * @param {string} platform process.platform
 * @param {string} arch process.arch
 * @returns {{os: string, arch: string, dir: string, file: string} | null}
 */
function binaryFor(platform, arch) {
  const os = Object.prototype.hasOwnProperty.call(GOOS, platform) ? GOOS[platform] : undefined;
  const goarch = Object.prototype.hasOwnProperty.call(GOARCH, arch) ? GOARCH[arch] : undefined;
  if (!os || !goarch) {
    return null;
  }
  return {
    os,
    arch: goarch,
    dir: `${os}_${goarch}`,
    file: os === 'windows' ? 'pat-check.exe' : 'pat-check',
  };
}

/**
 * The binary's path for a platform, relative to the task folder baseDir, or
 * null when the platform is not supported.
 */
function binaryPath(baseDir, platform, arch) {
  const b = binaryFor(platform, arch);
  return b ? path.join(baseDir, 'bin', b.dir, b.file) : null;
}

// Escapes a logging command's message the way the agent unescapes it, so a
// message can never run into a second line or command.
function escapeData(s) {
  return String(s).replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

// Characters of a bypass entry that make it a pattern rather than a host.
const PATTERN = /[*+?()[\]{}|\\^$]/;

/**
 * The agent's bypass list (AGENT_PROXYBYPASSLIST, a JSON array of regular
 * expressions) as NO_PROXY entries: plain hosts, anchors dropped, `\.`
 * unescaped, a leading `.*` or `.*\.` read as "this domain and below".
 * Returns the hosts and the entries that are patterns no host list can say.
 */
function bypassHosts(list) {
  const hosts = [];
  const skipped = [];
  let entries;
  try {
    entries = JSON.parse(list);
  } catch (e) {
    entries = String(list).split(/[,\n]/);
  }
  if (!Array.isArray(entries)) {
    entries = [entries];
  }
  for (const raw of entries) {
    let h = String(raw).trim().replace(/^\^/, '').replace(/\$$/, '');
    if (h === '') {
      continue;
    }
    h = h.replace(/^\.\*(\\\.)?/, '.').replace(/\\\./g, '.');
    if (PATTERN.test(h) || /\\/.test(h)) {
      skipped.push(String(raw));
    } else {
      hosts.push(h);
    }
  }
  return { hosts, skipped };
}

/**
 * The environment the binary gets on an agent configured with a proxy: the
 * agent hands it to tasks as AGENT_PROXYURL, AGENT_PROXYUSERNAME,
 * AGENT_PROXYPASSWORD and AGENT_PROXYBYPASSLIST. agent.proxypassword is a
 * secret variable, and the agent gives a secret variable to a Node task as
 * SECRET_ + its name (microsoft/azure-pipelines-agent,
 * src/Agent.Worker/Handlers/Handler.cs), so the password arrives as
 * SECRET_AGENT_PROXYPASSWORD; both names are read. The binary (Go's
 * http.ProxyFromEnvironment) reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY. The
 * credentials go into the proxy URL, percent-encoded. Returns the new
 * environment, the values to mask (the encoded credentials, when encoding
 * changed them: the agent masks the raw password itself) and notes to log.
 */
function proxyEnvironment(env) {
  const url = env.AGENT_PROXYURL;
  if (!url) {
    return { env, secrets: [], notes: [] };
  }
  let u;
  try {
    u = new URL(url);
  } catch (e) {
    return { env, secrets: [], notes: ['the agent\'s proxy URL (AGENT_PROXYURL) is not a URL: pat-check connects directly.'] };
  }
  const out = Object.assign({}, env);
  const secrets = [];
  const user = env.AGENT_PROXYUSERNAME || '';
  const pass = env.SECRET_AGENT_PROXYPASSWORD || env.AGENT_PROXYPASSWORD || '';
  let auth = '';
  if (user || pass) {
    const eu = encodeURIComponent(user);
    const ep = encodeURIComponent(pass);
    auth = `${eu}:${ep}@`;
    if (ep && ep !== pass) {
      secrets.push(ep);
    }
  }
  const proxy = `${u.protocol}//${auth}${u.host}`;
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) {
    out[k] = proxy;
  }
  const notes = [];
  const existing = env.NO_PROXY || env.no_proxy || '';
  const { hosts, skipped } = bypassHosts(env.AGENT_PROXYBYPASSLIST || '[]');
  const noProxy = [existing, ...hosts].filter(Boolean).join(',');
  if (noProxy) {
    out.NO_PROXY = noProxy;
    out.no_proxy = noProxy;
  }
  for (const p of skipped) {
    notes.push(`the agent's proxy bypass entry ${JSON.stringify(p)} is a pattern, not a host: requests it would match go through the proxy.`);
  }
  notes.unshift(`using the agent's proxy ${u.protocol}//${u.host}${auth ? ' with its credentials' : ''}.`);
  return { env: out, secrets, notes };
}

// The two logging commands that fail the task with a message.
function failureLines(message) {
  const m = escapeData(message);
  return `##vso[task.issue type=error]${m}\n##vso[task.complete result=Failed;]${m}\n`;
}

/**
 * Runs the binary for this agent and returns the exit code the launcher
 * should end with. Every collaborator is injectable for the tests.
 */
function run(opts) {
  const o = Object.assign({
    platform: process.platform,
    arch: process.arch,
    baseDir: __dirname,
    env: process.env,
    spawnSync: childProcess.spawnSync,
    fs,
    write: (s) => process.stdout.write(s),
  }, opts);
  const fail = (message) => {
    o.write(failureLines(message));
    return 1;
  };

  const label = `${o.platform}/${o.arch}`;
  const bin = binaryPath(o.baseDir, o.platform, o.arch);
  if (!bin) {
    return fail(`pat-check does not support this agent's platform (${label}): it runs on Linux, macOS and Windows agents, x64 or ARM64.`);
  }
  let st;
  try {
    st = o.fs.statSync(bin);
  } catch (e) {
    st = null;
  }
  if (!st || !st.isFile()) {
    const rel = path.relative(o.baseDir, bin).split(path.sep).join('/');
    return fail(`pat-check has no binary for this agent's platform (${label}): ${rel} is missing from the task; the extension was packaged without it.`);
  }
  // Extracting the task may drop the executable bit; restore it when we can.
  if (o.platform !== 'win32' && (st.mode & 0o111) !== 0o111) {
    try {
      o.fs.chmodSync(bin, 0o755);
    } catch (e) {
      // A read-only task folder: spawning will say what is wrong.
    }
  }

  const proxied = proxyEnvironment(o.env);
  for (const v of proxied.secrets) {
    o.write(`##vso[task.setsecret]${escapeData(v)}\n`);
  }
  for (const n of proxied.notes) {
    o.write(`pat-check: ${n}\n`);
  }
  const r = o.spawnSync(bin, [], { stdio: 'inherit', env: proxied.env, windowsHide: true });
  if (r.error) {
    return fail(`pat-check could not be started on ${label}: ${r.error.message}`);
  }
  if (r.signal) {
    return fail(`pat-check was stopped by the signal ${r.signal}.`);
  }
  return typeof r.status === 'number' ? r.status : 1;
}

module.exports = { binaryFor, binaryPath, bypassHosts, escapeData, failureLines, proxyEnvironment, run };
