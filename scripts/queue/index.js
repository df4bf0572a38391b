'use strict';
/**
 * Everything the queue-mode suite (test/queue) needs from scripts/, behind one typed entry
 * point (see index.d.ts): the topology, the process utilities and the e2e helper's REST client.
 */
const { startQueueTopology } = require('./topology');
const processes = require('./processes');
const { N8nClient, DEMO_OWNER } = require('../lib/n8n');

module.exports = { startQueueTopology, N8nClient, DEMO_OWNER, ...processes };
