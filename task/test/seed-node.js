'use strict';
// MockTestRunner runs each task with a Node it downloads into
// ~/azure-pipelines-task-lib/_download/node<N>, unless node<N>.completed
// exists beside that folder and the node binary is where it would have
// unpacked it. This puts a node there for every version the task declares (a
// symlink, or a copy where links are not allowed), so the tests never
// download anything: the one named by PAT_CHECK_NODE<N> (scripts/test-task.sh
// installs the very versions MockTestRunner would download, from the npm
// registry, through handler-nodes/), else this machine's own node.
//
// Run it directly (`node seed-node.js`) or call seedNode() from a test.

const fs = require('fs');
const os = require('os');
const path = require('path');

// The versions MockTestRunner maps the task's handlers to (mock-test.js).
const VERSIONS = { 24: 'v24.10.0', 20: 'v20.13.1' };

function downloadDirectory(env = process.env) {
  // As mock-test.js computes it.
  return path.join(env.HOME || env.HOMEPATH || env.USERPROFILE, 'azure-pipelines-task-lib', '_download');
}

// Where MockTestRunner.getPathToNodeExe looks.
function exePath(dest, version) {
  switch (os.platform()) {
    case 'darwin': return path.join(dest, `node-${version}-darwin-x64`, 'bin', 'node');
    case 'linux': return path.join(dest, `node-${version}-linux-x64`, 'bin', 'node');
    case 'win32': return path.join(dest, 'node.exe');
    default: throw new Error(`MockTestRunner does not run on ${os.platform()}`);
  }
}

/** The node that runs the handler of a major version. */
function nodeFor(major, env = process.env) {
  return env[`PAT_CHECK_NODE${major}`] || process.execPath;
}

/** Seeds each major version; returns the node paths MockTestRunner will use. */
function seedNode(majors = Object.keys(VERSIONS), env = process.env) {
  const root = downloadDirectory(env);
  return majors.map((major) => {
    const version = VERSIONS[major];
    if (!version) {
      throw new Error(`no MockTestRunner version for node ${major}`);
    }
    const want = nodeFor(major, env);
    if (!fs.existsSync(want)) {
      throw new Error(`PAT_CHECK_NODE${major} names ${want}, which does not exist`);
    }
    const dest = path.join(root, `node${major}`);
    const exe = exePath(dest, version);
    const marker = `${dest}.completed`;
    // existsSync follows links: a link to a node that is gone is re-seeded,
    // and so is one to another node than the one wanted now.
    const current = fs.existsSync(exe) ? fs.realpathSync(exe) : null;
    if (!(current === fs.realpathSync(want) && fs.existsSync(marker))) {
      fs.rmSync(exe, { force: true });
      fs.mkdirSync(path.dirname(exe), { recursive: true });
      try {
        fs.symlinkSync(want, exe);
      } catch (e) {
        fs.copyFileSync(want, exe);
        fs.chmodSync(exe, 0o755);
      }
      fs.writeFileSync(marker, '');
    }
    return exe;
  });
}

if (require.main === module) {
  for (const exe of seedNode()) {
    console.log(`seeded ${exe} -> ${fs.realpathSync(exe)}`);
  }
}

module.exports = { seedNode, nodeFor, downloadDirectory, VERSIONS };
