// nightly backup of the orders database: one fixed pg_dump command, run by the operators' cron
const childProcess = require('child_process');

const target = `/var/backups/orders-${new Date().toISOString().slice(0, 10)}.sql`;
childProcess.exec(`pg_dump --file ${target} orders`, (err) => {
  if (err) throw err;
});
