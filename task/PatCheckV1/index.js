'use strict';
// The entry point the agent runs for the PatCheck task (task.json's execution
// target): run the pat-check binary for this agent and end with its exit code.
// See launcher.js for how the binary is chosen.
process.exitCode = require('./launcher.js').run();
