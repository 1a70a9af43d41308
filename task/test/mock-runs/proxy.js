'use strict';
// An agent configured with a proxy that needs credentials, and a bypass
// list: the agent's variables as it hands them to tasks (the password is a
// secret variable, so a Node task sees it only as SECRET_AGENT_PROXYPASSWORD).
// The test gives the proxy's address and the API host through
// PAT_CHECK_TEST_PROXY_*.
const { TOKENS } = require('../helpers');

process.env.AGENT_PROXYURL = process.env.PAT_CHECK_TEST_PROXY_URL;
process.env.AGENT_PROXYUSERNAME = process.env.PAT_CHECK_TEST_PROXY_USER;
process.env.SECRET_AGENT_PROXYPASSWORD = process.env.PAT_CHECK_TEST_PROXY_PASSWORD;
process.env.AGENT_PROXYBYPASSLIST = process.env.PAT_CHECK_TEST_PROXY_BYPASS;
require('./run-task').runTask({ token: TOKENS.valid, apiUrl: process.env.PAT_CHECK_TEST_PROXY_API, timeout: '5' });
