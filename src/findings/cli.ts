#!/usr/bin/env node
// placeholder entry point: the findings CLI is built in src/findings
process.stderr.write('gatehouse: the findings CLI is not built yet\n');
process.exit(2);
