'use strict';
// The PatCheck task run as the agent runs it, through task-lib's
// MockTestRunner: the launcher, the real pat-check binary for this machine,
// and a fake GitHub API. Each scenario is a mock-run file in mock-runs/.

const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');
const { MockTestRunner } = require('azure-pipelines-task-lib/mock-test');
const { commandFromString } = require('azure-pipelines-task-lib/taskcommand');

const { startFakeGitHub } = require('./fake-github');
const { startRecordingProxy } = require('./recording-proxy');
const { seedNode, VERSIONS } = require('./seed-node');
const h = require('./helpers');
const { binaryPath } = require('../PatCheckV1/launcher');

const DAY = 24 * 60 * 60 * 1000;

// Everything the task wrote that the agent would act on.
function parseRun(tr) {
  const out = { outputs: {}, secrets: [], issues: [], complete: null, summaries: [], commands: [] };
  for (const line of tr.stdout.split(/\r?\n/)) {
    const at = line.indexOf('##vso[');
    if (at < 0) {
      continue;
    }
    const cmd = commandFromString(line.substring(at));
    // task-lib itself writes task.debug lines while the mock-run file loads
    // it; everything else is the task's.
    if (cmd.command !== 'task.debug') {
      out.commands.push(cmd.command);
    }
    switch (cmd.command) {
      case 'task.setvariable':
        if (cmd.properties.isOutput === 'true') {
          out.outputs[cmd.properties.variable] = cmd.message;
        }
        break;
      case 'task.setsecret':
        out.secrets.push(cmd.message);
        break;
      case 'task.issue':
      case 'task.logissue':
        out.issues.push({ type: cmd.properties.type, code: cmd.properties.code, message: cmd.message });
        break;
      case 'task.complete':
        out.complete = { result: cmd.properties.result, message: cmd.message };
        break;
      case 'task.uploadsummary':
        out.summaries.push(cmd.message);
        break;
      default:
    }
  }
  return out;
}

// The token, and the derived forms pat-check masks, appear only as the
// value of a task.setsecret command.
function assertTokenOnlyMasked(tr, token) {
  const forms = [token, Buffer.from(`:${token}`).toString('base64'), Buffer.from(`x-access-token:${token}`).toString('base64')];
  for (const [name, text] of [['stdout', tr.stdout], ['stderr', tr.stderr]]) {
    text.split(/\r?\n/).forEach((line, i) => {
      for (const f of forms) {
        if (line.includes(f)) {
          // Report the line number, never the line: it holds the secret.
          assert.ok(line.startsWith('##vso[task.setsecret]'), `${name} line ${i + 1} holds the token or a form of it outside task.setsecret`);
        }
      }
    });
  }
}

describe('PatCheck task under MockTestRunner', () => {
  let api;
  let agentTemp;
  // The version of the node seeded for each handler's major version.
  const handlerNode = {};

  before(async () => {
    // MockTestRunner would download Node 24 (and 20) otherwise.
    seedNode().forEach((exe, i) => {
      const major = Object.keys(VERSIONS)[i];
      handlerNode[major] = childProcess.execFileSync(exe, ['--version'], { encoding: 'utf8' }).trim();
    });
    const bin = binaryPath(h.taskDir, process.platform, process.arch);
    assert.ok(bin && fs.existsSync(bin), `no pat-check binary for ${process.platform}/${process.arch}: run scripts/build-task-binaries.sh`);

    api = await startFakeGitHub({
      [h.TOKENS.valid]: {
        login: 'octocat',
        scopes: 'repo, workflow',
        expiration: h.githubExpiration(new Date(Date.now() + 60 * DAY)),
      },
    });
    agentTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'pat-check-agent-'));
    process.env[h.ENV_API_URL] = api.url;
    process.env[h.ENV_AGENT_TEMP] = agentTemp;
  });

  after(async () => {
    delete process.env[h.ENV_API_URL];
    delete process.env[h.ENV_AGENT_TEMP];
    if (api) {
      await api.close();
    }
    if (agentTemp) {
      fs.rmSync(agentTemp, { recursive: true, force: true });
    }
  });

  // Runs one mock-run file; returns the runner, what it wrote, and the API
  // requests it made.
  async function run(scenario, nodeVersion) {
    const seen = api.requests.length;
    const tr = new MockTestRunner();
    await tr.LoadAsync(path.join(__dirname, 'mock-runs', `${scenario}.js`), h.taskJsonPath);
    await tr.runAsync(nodeVersion);
    // Let the worker's messages about this run arrive.
    await new Promise((r) => setTimeout(r, 50));
    const parsed = parseRun(tr);
    // What a failed assertion prints: the run's output, with every value it
    // masked blanked out, as the agent would show it.
    const context = () => {
      const secrets = [...parsed.secrets, ...Object.values(h.TOKENS)].filter(Boolean);
      const redact = (text) => secrets.reduce((t, v) => t.split(v).join('***'), text);
      return `stdout:\n${redact(tr.stdout)}\nstderr:\n${redact(tr.stderr)}`;
    };
    return { tr, parsed, requests: api.requests.slice(seen), context };
  }

  // MockTestRunner picks the handler's Node folder. scripts/test-task.sh
  // seeds each with the Node version MockTestRunner would download for it and
  // sets PAT_CHECK_STRICT_HANDLER_NODES; elsewhere a folder may hold this
  // machine's node instead.
  for (const nodeVersion of [24, 20]) {
    it(`passes a valid token that has the scope (as the Node${nodeVersion} handler)`, async () => {
      const { tr, parsed, requests, context } = await run('valid', nodeVersion);
      assert.match(tr.stdout, new RegExp(`^mock-run node ${handlerNode[nodeVersion].replace(/\./g, '\\.')}$`, 'm'), context());
      if (process.env.PAT_CHECK_STRICT_HANDLER_NODES === '1') {
        assert.ok(handlerNode[nodeVersion].startsWith(`v${nodeVersion}.`),
          `the Node${nodeVersion} handler ran on ${handlerNode[nodeVersion]}`);
      }
      assert.ok(tr.succeeded, context());
      assert.equal(tr.failed, false);
      assert.deepEqual(tr.errorIssues, []);
      assert.deepEqual(tr.warningIssues, []);
      assert.equal(parsed.complete.result, 'Succeeded');

      const o = parsed.outputs;
      assert.equal(o.result, 'pass');
      assert.equal(o.valid, 'true');
      assert.equal(o.tokenType, 'classic');
      assert.equal(o.login, 'octocat');
      assert.equal(o.missing, '');
      assert.match(o.scopes, /repo/);
      assert.match(o.scopes, /workflow/);
      assert.match(o.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok([59, 60].includes(Number(o.daysLeft)), `daysLeft ${o.daysLeft}`);
      assert.deepEqual(Object.keys(o).sort(), ['daysLeft', 'expiresAt', 'expiring', 'failing', 'login', 'missing', 'result', 'scopes', 'tokenType', 'valid']);

      // Masked first, then everything else.
      assert.equal(parsed.commands[0], 'task.setsecret');
      assert.ok(parsed.secrets.includes(h.TOKENS.valid));
      assert.ok(parsed.secrets.includes(Buffer.from(`:${h.TOKENS.valid}`).toString('base64')));
      assertTokenOnlyMasked(tr, h.TOKENS.valid);

      // The summary was written where the agent can upload it.
      assert.equal(parsed.summaries.length, 1);
      assert.equal(path.dirname(parsed.summaries[0]), agentTemp);
      assert.ok(fs.existsSync(parsed.summaries[0]));

      assert.ok(requests.some((r) => r.method === 'GET' && r.path === '/user' && r.known));
    });
  }

  it('fails when a required scope is missing, and names it', async () => {
    const { tr, parsed, context } = await run('missing-scope');
    assert.ok(tr.failed, context());
    assert.equal(tr.errorIssues.length, 1, context());
    assert.match(tr.errorIssues[0], /admin:org/);
    assert.equal(parsed.issues.filter((i) => i.type === 'error')[0].code, 'scope-missing');
    assert.equal(parsed.outputs.result, 'fail');
    assert.equal(parsed.outputs.valid, 'true');
    assert.equal(parsed.outputs.missing, 'admin:org');
    assert.equal(parsed.complete.result, 'Failed');
    assertTokenOnlyMasked(tr, h.TOKENS.valid);
  });

  it('fails a token the API rejects', async () => {
    const { tr, parsed, requests, context } = await run('revoked');
    assert.ok(tr.failed, context());
    assert.ok(tr.errorIssues.length >= 1);
    assert.ok(parsed.issues.some((i) => i.type === 'error' && i.code === 'token-invalid'), context());
    assert.equal(parsed.outputs.result, 'fail');
    assert.equal(parsed.outputs.valid, 'false');
    assert.equal(parsed.outputs.tokenType, 'classic');
    assert.ok(requests.some((r) => r.path === '/user' && !r.known));
    assertTokenOnlyMasked(tr, h.TOKENS.revoked);
  });

  it('fails an empty GitHub token with token-missing, without asking the API', async () => {
    const { tr, parsed, requests, context } = await run('empty-token');
    assert.ok(tr.failed, context());
    assert.ok(tr.errorIssues.length >= 1);
    assert.ok(parsed.issues.some((i) => i.type === 'error' && i.code === 'token-missing'), context());
    assert.equal(parsed.outputs.valid, 'false');
    assert.deepEqual(parsed.secrets, []);
    assert.deepEqual(requests, []);
  });

  it('fails an empty token when the provider is left to auto', async () => {
    const { tr, parsed, requests, context } = await run('empty-token-auto');
    assert.ok(tr.failed, context());
    assert.ok(tr.errorIssues.length >= 1, context());
    assert.equal(parsed.complete.result, 'Failed');
    assert.deepEqual(requests, []);
  });

  // An unset secret with GitHub scopes must be reported as the missing token,
  // not as "repo is not an Azure DevOps scope": an empty value cannot tell
  // which platform it belongs to.
  it('names the missing token first when the provider is left to auto', async () => {
    const { parsed } = await run('empty-token-auto');
    assert.equal(parsed.issues[0] && parsed.issues[0].code, 'token-missing');
  });

  it('fails an invalid option, naming the input', async () => {
    const { tr, parsed, requests, context } = await run('bad-option');
    assert.ok(tr.failed, context());
    const issue = parsed.issues.find((i) => i.type === 'error' && i.code === 'config-invalid');
    assert.ok(issue, context());
    assert.match(issue.message, /minDaysLeft/);
    assert.equal(parsed.outputs.result, 'error');
    assert.deepEqual(requests, []);
    assertTokenOnlyMasked(tr, h.TOKENS.valid);
  });

  // An agent behind a proxy: the launcher hands the agent's proxy to the
  // binary. The API host is not loopback (Go never proxies loopback) and
  // does not resolve: only the proxy can reach it, and the recording proxy
  // forwards nothing, so the check ends unreachable either way; what the
  // proxy received is the test.
  describe("the agent's proxy", () => {
    const user = 'CONTOSO\\build agent';
    const password = 'p@ss:w/rd%20&more';
    const proxied = 'api.proxied.pat-check.invalid';
    const bypassed = 'api.bypassed.pat-check.invalid';
    let proxy;

    before(async () => {
      proxy = await startRecordingProxy();
      process.env[h.ENV_PROXY.url] = proxy.url;
      process.env[h.ENV_PROXY.user] = user;
      process.env[h.ENV_PROXY.password] = password;
      process.env[h.ENV_PROXY.bypass] = JSON.stringify([bypassed.replace(/\./g, '\\.')]);
    });

    after(async () => {
      for (const k of Object.values(h.ENV_PROXY)) {
        delete process.env[k];
      }
      if (proxy) {
        await proxy.close();
      }
    });

    // The password, raw or percent-encoded, appears in no line of the task's
    // output but the task.setsecret that masks the encoded form.
    function assertPasswordNotPrinted(tr) {
      const forms = [password, encodeURIComponent(password), Buffer.from(`${user}:${password}`).toString('base64')];
      for (const [name, text] of [['stdout', tr.stdout], ['stderr', tr.stderr]]) {
        text.split(/\r?\n/).forEach((line, i) => {
          for (const f of forms) {
            if (line.includes(f)) {
              assert.ok(line.startsWith('##vso[task.setsecret]'), `${name} line ${i + 1} holds the proxy password outside task.setsecret`);
            }
          }
        });
      }
    }

    it('sends the API requests through the proxy, with its credentials', async () => {
      process.env[h.ENV_PROXY.api] = `https://${proxied}`;
      const before = proxy.seen.length;
      const { tr, parsed, context } = await run('proxy');
      const seen = proxy.seen.slice(before);
      assert.ok(seen.length >= 1, `the proxy received nothing\n${context()}`);
      for (const r of seen) {
        assert.equal(r.method, 'CONNECT', context());
        assert.equal(r.target, `${proxied}:443`);
        assert.match(r.auth, /^Basic /);
        assert.equal(Buffer.from(r.auth.slice(6), 'base64').toString('utf8'), `${user}:${password}`, 'the proxy got other credentials');
      }
      // Unreachable through a proxy that forwards nothing: inconclusive.
      assert.equal(parsed.outputs.result, 'error', context());
      assert.ok(parsed.issues.some((i) => i.code === 'api-error'), context());
      assert.match(tr.stdout, /using the agent's proxy http:\/\/127\.0\.0\.1:\d+ with its credentials/);
      assert.ok(parsed.secrets.includes(encodeURIComponent(password)), 'the encoded password is not masked');
      assertPasswordNotPrinted(tr);
      assertTokenOnlyMasked(tr, h.TOKENS.valid);
    });

    it("leaves the hosts of the agent's bypass list to a direct connection", async () => {
      process.env[h.ENV_PROXY.api] = `https://${bypassed}`;
      const before = proxy.seen.length;
      const { tr, parsed, context } = await run('proxy');
      assert.deepEqual(proxy.seen.slice(before), [], 'a bypassed host went through the proxy');
      assert.equal(parsed.outputs.result, 'error', context());
      assertPasswordNotPrinted(tr);
    });
  });
});
