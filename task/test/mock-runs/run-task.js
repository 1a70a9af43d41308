'use strict';
// Runs the PatCheck task's launcher the way the agent does, for one
// scenario: TF_BUILD=True, AGENT_TEMPDIRECTORY set, inputs as INPUT_*.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { TaskMockRunner } = require('azure-pipelines-task-lib/mock-run');
const { launcherPath, ENV_API_URL, ENV_AGENT_TEMP } = require('../helpers');

/**
 * inputs maps task.json input names to values; apiUrl defaults to the fake
 * API the test started.
 */
function runTask(inputs) {
  // Which Node runs the task: the tests check it is the handler's.
  console.log(`mock-run node ${process.version}`);
  // Only what an agent would set: nothing from the machine running the
  // tests (a GitHub Actions runner, a real pipeline) may pick the front-end
  // or an option.
  for (const k of Object.keys(process.env)) {
    if (k.startsWith('INPUT_') || k.startsWith('GITHUB_') || k.startsWith('SYSTEM_') || k.startsWith('BUILD_')) {
      delete process.env[k];
    }
  }
  process.env.TF_BUILD = 'True';
  // Every agent sets these; pat-check uses them only for Azure DevOps tokens.
  process.env.SYSTEM_COLLECTIONURI = 'https://dev.azure.com/contoso/';
  process.env.SYSTEM_TEAMPROJECT = 'Fabrikam';
  process.env.AGENT_TEMPDIRECTORY = process.env[ENV_AGENT_TEMP] ||
    fs.mkdtempSync(path.join(os.tmpdir(), 'pat-check-agent-'));

  const tmr = new TaskMockRunner(launcherPath);
  const all = Object.assign({ apiUrl: process.env[ENV_API_URL] || '' }, inputs);
  for (const [name, value] of Object.entries(all)) {
    tmr.setInput(name, value);
  }
  // noMockTask: the launcher never imports azure-pipelines-task-lib, and the
  // mock task lib would, on loading, move the INPUT_* variables out of
  // process.env before the launcher runs.
  tmr.run(true);
}

module.exports = { runTask };
