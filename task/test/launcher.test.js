'use strict';
// The launcher on its own: which binary it picks, how it fails where there
// is none, and that it hands the environment and exit code through.

const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it } = require('node:test');
const { commandFromString } = require('azure-pipelines-task-lib/taskcommand');

const launcher = require('../PatCheckV1/launcher');
const h = require('./helpers');

// The logging commands in text, parsed as the agent's task-lib parses them.
function commands(text) {
  return text.split('\n').filter((l) => l.startsWith('##vso[')).map((l) => commandFromString(l));
}

// Runs the launcher with injected collaborators; returns its exit code and
// what it wrote.
function runWith(opts) {
  let written = '';
  const code = launcher.run(Object.assign({ write: (s) => { written += s; } }, opts));
  return { code, written, cmds: commands(written) };
}

function assertFailedWith(r, pattern) {
  assert.equal(r.code, 1);
  assert.deepEqual(r.cmds.map((c) => c.command), ['task.issue', 'task.complete']);
  assert.equal(r.cmds[0].properties.type, 'error');
  assert.match(r.cmds[0].message, pattern);
  assert.equal(r.cmds[1].properties.result, 'Failed');
  assert.match(r.cmds[1].message, pattern);
}

describe('binaryFor maps Node platforms to the bin/ folders', () => {
  const supported = [
    ['linux', 'x64', 'linux_amd64', 'pat-check'],
    ['linux', 'arm64', 'linux_arm64', 'pat-check'],
    ['darwin', 'x64', 'darwin_amd64', 'pat-check'],
    ['darwin', 'arm64', 'darwin_arm64', 'pat-check'],
    ['win32', 'x64', 'windows_amd64', 'pat-check.exe'],
    ['win32', 'arm64', 'windows_arm64', 'pat-check.exe'],
  ];
  for (const [platform, arch, dir, file] of supported) {
    it(`${platform}/${arch} → bin/${dir}/${file}`, () => {
      const b = launcher.binaryFor(platform, arch);
      assert.equal(b.dir, dir);
      assert.equal(b.file, file);
      assert.equal(launcher.binaryPath('/task', platform, arch), path.join('/task', 'bin', dir, file));
    });
  }
  for (const [platform, arch] of [['freebsd', 'x64'], ['linux', 'ia32'], ['linux', 's390x'], ['win32', 'ia32'], ['aix', 'ppc64'], ['linux', 'arm'], ['toString', 'x64'], ['linux', 'constructor']]) {
    it(`${platform}/${arch} is not supported`, () => {
      assert.equal(launcher.binaryFor(platform, arch), null);
      assert.equal(launcher.binaryPath('/task', platform, arch), null);
    });
  }
});

describe('run', () => {
  it('fails on an unsupported platform, naming it, without spawning', () => {
    const r = runWith({
      platform: 'freebsd',
      arch: 'x64',
      spawnSync: () => assert.fail('nothing may run on an unsupported platform'),
    });
    assertFailedWith(r, /freebsd\/x64/);
  });

  it('fails when the binary for the platform is missing, naming platform and path', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'pat-check-task-'));
    try {
      const r = runWith({
        baseDir: empty,
        platform: 'linux',
        arch: 'arm64',
        spawnSync: () => assert.fail('nothing may run without a binary'),
      });
      assertFailedWith(r, /linux\/arm64.*bin\/linux_arm64\/pat-check/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('runs the binary with inherited stdio and the environment as is, and returns its exit code', () => {
    const env = { INPUT_TOKEN: 'x', TF_BUILD: 'True' };
    let call;
    const r = runWith({
      baseDir: h.taskDir,
      platform: 'linux',
      arch: 'x64',
      env,
      fs: { statSync: () => ({ isFile: () => true, mode: 0o100755 }), chmodSync: () => assert.fail('already executable') },
      spawnSync: (file, args, options) => {
        call = { file, args, options };
        return { status: 3, signal: null };
      },
    });
    assert.equal(r.code, 3);
    assert.equal(r.written, '');
    assert.equal(call.file, path.join(h.taskDir, 'bin', 'linux_amd64', 'pat-check'));
    assert.deepEqual(call.args, []);
    assert.equal(call.options.stdio, 'inherit');
    assert.equal(call.options.env, env);
  });

  it('fails with a message when the binary is killed by a signal', () => {
    const r = runWith({
      platform: 'linux',
      arch: 'x64',
      fs: { statSync: () => ({ isFile: () => true, mode: 0o100755 }) },
      spawnSync: () => ({ status: null, signal: 'SIGKILL' }),
    });
    assertFailedWith(r, /SIGKILL/);
  });

  it('fails with a message when the binary cannot be started', () => {
    const r = runWith({
      platform: 'darwin',
      arch: 'arm64',
      fs: { statSync: () => ({ isFile: () => true, mode: 0o100755 }) },
      spawnSync: () => ({ status: null, signal: null, error: new Error('spawn EACCES') }),
    });
    assertFailedWith(r, /darwin\/arm64.*EACCES/);
  });

  it('escapes its messages so they stay one logging command each', () => {
    const lines = launcher.failureLines('50% done\n##vso[task.complete result=Succeeded]').split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    const cmds = commands(lines.join('\n'));
    assert.equal(cmds[0].message, '50% done\n##vso[task.complete result=Succeeded]');
  });

  it('makes a binary that lost its executable bit executable again', { skip: process.platform === 'win32' && 'POSIX modes' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pat-check-task-'));
    try {
      const bin = launcher.binaryPath(dir, 'linux', 'x64');
      fs.mkdirSync(path.dirname(bin), { recursive: true });
      // Succeeds only when the environment reached it untouched.
      fs.writeFileSync(bin, '#!/bin/sh\n[ "$INPUT_PROBE" = "kept; as is" ] && exit 7\nexit 9\n', { mode: 0o644 });
      fs.chmodSync(bin, 0o644);
      const r = runWith({ baseDir: dir, platform: 'linux', arch: 'x64', env: { PATH: process.env.PATH, INPUT_PROBE: 'kept; as is' } });
      assert.equal(r.code, 7);
      assert.equal(fs.statSync(bin).mode & 0o777, 0o755);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('index.js', () => {
  it('never loads azure-pipelines-task-lib', () => {
    for (const f of ['index.js', 'launcher.js']) {
      const src = fs.readFileSync(path.join(h.taskDir, f), 'utf8');
      assert.doesNotMatch(src, /require\(\s*['"]azure-pipelines-task-lib/);
    }
  });

  it("is task.json's target for every Node handler", () => {
    const task = JSON.parse(fs.readFileSync(h.taskJsonPath, 'utf8'));
    assert.deepEqual(Object.keys(task.execution).sort(), ['Node20_1', 'Node24']);
    for (const handler of Object.values(task.execution)) {
      assert.equal(handler.target, 'index.js');
    }
  });

  it("passes the inputs to this machine's binary and ends with its exit code", () => {
    const bin = launcher.binaryPath(h.taskDir, process.platform, process.arch);
    assert.ok(bin && fs.existsSync(bin), `no pat-check binary for ${process.platform}/${process.arch}: run scripts/build-task-binaries.sh`);
    // An invalid option: pat-check exits 2 before any network use.
    const agentTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'pat-check-agent-'));
    try {
      const env = { PATH: process.env.PATH, TF_BUILD: 'True', INPUT_TOKEN: h.TOKENS.valid, INPUT_MINDAYSLEFT: 'soon', AGENT_TEMPDIRECTORY: agentTemp };
      const r = childProcess.spawnSync(process.execPath, [h.launcherPath], { env, encoding: 'utf8' });
      assert.equal(r.status, 2, 'exit code');
      assert.ok(r.stdout.startsWith('##vso[task.setsecret]'));
      assert.match(r.stdout, /##vso\[task.issue type=error;code=config-invalid\]config-invalid: minDaysLeft/);
    } finally {
      fs.rmSync(agentTemp, { recursive: true, force: true });
    }
  });
});

describe("the agent's proxy", () => {
  const { bypassHosts, proxyEnvironment } = require('../PatCheckV1/launcher');

  it('leaves the environment alone without AGENT_PROXYURL', () => {
    const env = { PATH: '/bin', HTTPS_PROXY: 'http://mine:3128' };
    assert.deepEqual(proxyEnvironment(env), { env, secrets: [], notes: [] });
  });

  it('puts the credentials, percent-encoded, into HTTPS_PROXY and HTTP_PROXY', () => {
    const r = proxyEnvironment({ AGENT_PROXYURL: 'http://proxy.corp:8080/', AGENT_PROXYUSERNAME: 'corp\\agent', AGENT_PROXYPASSWORD: 'a@b:c/d%' });
    const want = 'http://corp%5Cagent:a%40b%3Ac%2Fd%25@proxy.corp:8080';
    for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) {
      assert.equal(r.env[k], want, k);
    }
    assert.deepEqual(r.secrets, ['a%40b%3Ac%2Fd%25']);
    assert.ok(r.notes.every((n) => !n.includes('a@b') && !n.includes('a%40b')));
  });

  it('reads the password where the agent puts a secret variable: SECRET_AGENT_PROXYPASSWORD', () => {
    const r = proxyEnvironment({ AGENT_PROXYURL: 'http://proxy.corp:8080', AGENT_PROXYUSERNAME: 'agent', SECRET_AGENT_PROXYPASSWORD: 'p@ss' });
    assert.equal(r.env.HTTPS_PROXY, 'http://agent:p%40ss@proxy.corp:8080');
    assert.deepEqual(r.secrets, ['p%40ss']);
    assert.match(r.notes[0], /with its credentials/);
  });

  it('turns the bypass list of regular expressions into NO_PROXY hosts', () => {
    assert.deepEqual(bypassHosts(JSON.stringify(['github\\.com', '^.*\\.corp\\.example$', '10\\.0\\.0\\.1', 'foo(bar|baz)'])),
      { hosts: ['github.com', '.corp.example', '10.0.0.1'], skipped: ['foo(bar|baz)'] });
    const r = proxyEnvironment({ AGENT_PROXYURL: 'http://p:1', AGENT_PROXYBYPASSLIST: '["dev\\\\.azure\\\\.com"]', NO_PROXY: 'localhost' });
    assert.equal(r.env.NO_PROXY, 'localhost,dev.azure.com');
    assert.equal(r.env.HTTPS_PROXY, 'http://p:1');
  });
});
