import * as fs from 'fs';
import * as path from 'path';

/**
 * The AWS CLI v2 the gate scripts are run with here: Debian's `awscli` package (apt-get install
 * awscli). Called by its full path: another `aws` (v1, from pip) may come first on PATH.
 */
export const AWS_CLI = '/usr/bin/aws';

/** Whether the AWS CLI v2 is installed (the tests that run gate scripts need it). */
export function awsCliInstalled(): boolean {
  return fs.existsSync(AWS_CLI);
}

/**
 * Writes an `aws` into `binDir` that runs the real AWS CLI against `endpoint` (a local stand-in
 * for S3: CLI 2.9 reads no endpoint from the environment), and returns the PATH that puts it
 * first. The scripts call `aws` as they do in CodeBuild; nothing else changes.
 */
export function awsCliOnPath(binDir: string, endpoint: string): string {
  fs.mkdirSync(binDir, { recursive: true });
  fs.writeFileSync(path.join(binDir, 'aws'), `#!/bin/sh\nexec ${AWS_CLI} --endpoint-url ${endpoint} "$@"\n`, { mode: 0o755 });
  return `${binDir}:${process.env.PATH}`;
}

/**
 * Environment that keeps the CLI to what the test gives it: no configuration or credentials file
 * of this machine, no instance metadata lookups, one retry (a 500 is retried once, not four times
 * with backoff), and a region as CodeBuild sets one.
 */
export function awsCliEnv(home: string): Record<string, string> {
  return {
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_RETRY_MODE: 'standard',
    AWS_MAX_ATTEMPTS: '2',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_REGION: 'eu-west-1',
    AWS_PAGER: '',
  };
}
