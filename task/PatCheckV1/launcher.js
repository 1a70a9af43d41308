'use strict';
// The PatCheck task's launcher: the agent can only run a Node script, so this
// picks the pat-check binary built for the agent's OS and architecture and
// runs it with the task's environment untouched.
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

  const r = o.spawnSync(bin, [], { stdio: 'inherit', env: o.env, windowsHide: true });
  if (r.error) {
    return fail(`pat-check could not be started on ${label}: ${r.error.message}`);
  }
  if (r.signal) {
    return fail(`pat-check was stopped by the signal ${r.signal}.`);
  }
  return typeof r.status === 'number' ? r.status : 1;
}

module.exports = { binaryFor, binaryPath, escapeData, failureLines, run };
