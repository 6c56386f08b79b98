import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { actionsOf, build, buildSpecOf, cmd, flatten, pipeline, render, resourcesOf, statements } from './helpers';
import { RunCondition, Stage } from '../../src/core';
import * as security from '../../src/security';

const seedLike = () =>
  pipeline([
    Stage.buildStage('build', { steps: [cmd('compile')] }),
    Stage.testStage('images', {
      steps: [
        cmd('docker', { privileged: true }),
        cmd('scan', {
          image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/tools/trivy@sha256:abc',
          secrets: [
            { variable: 'TOKEN', secretName: 'ci/token', key: 'value' },
            { variable: 'OTHER', secretName: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ci/other-AbCdEf' },
          ],
        }),
      ],
    }),
  ]);

let cached: Template | undefined;
/** The seed-like pipeline's template, rendered once for the assertions that only read it. */
function seedTemplate(): { template: Template } {
  cached ??= render(seedLike()).template;
  return { template: cached };
}

describe('encryption and storage', () => {
  test('the pipeline key rotates and lets CloudWatch Logs use it for this account only', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test('the artifact bucket is KMS-encrypted with the key, private, SSL-only and access-logged', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('EngineKey'), 'Arn'] } } },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('EngineAccessLogs') }, LogFilePrefix: 'artifacts/' },
    });
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      PipelineType: 'V2',
      ArtifactStore: { Type: 'S3', EncryptionKey: { Type: 'KMS', Id: { 'Fn::GetAtt': [Match.stringLikeRegexp('EngineKey'), 'Arn'] } } },
    });
  });

  test('both buckets deny plain HTTP and block public access; the log bucket takes logs from the artifact bucket only', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('EngineArtifacts'), 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  test('every CodeBuild project uses the customer key, and every log group is encrypted with it', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    template.resourceCountIs('AWS::CodeBuild::Project', 3);
    template.allResourcesProperties('AWS::CodeBuild::Project', {
      EncryptionKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('EngineKey'), 'Arn'] },
      LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: Match.stringLikeRegexp('Logs') } } },
    });
    // two projects' logs and the audit trail's
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('EngineKey'), 'Arn'] },
      RetentionInDays: 365,
    });
  });

  test('privileged mode only for the step that asks', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const privileged = Object.values(template.findResources('AWS::CodeBuild::Project'))
      .filter((p) => p.Properties.Environment.PrivilegedMode)
      .map((p) => p.Properties.Description);
    expect(privileged).toEqual(['gatehouse app: images/docker']);
  });
});

describe('least privilege', () => {
  test('no identity policy allows a wildcard action', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const wild = statements(template).filter((s) => s.statement.Effect === 'Allow' && actionsOf(s.statement).some((a) => a.includes('*')));
    expect(wild).toEqual([]);
  });

  test('wildcard resources are only folders of the artifact bucket and the ECR login', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const wild = statements(template).flatMap((s) =>
      resourcesOf(s.statement)
        .map(flatten)
        .filter((r) => r.includes('*'))
        .map((r) => `${s.statement.Effect} ${r.replace(/^<EngineArtifacts\w+\.Arn>/, '<bucket>')} ${actionsOf(s.statement).join(',')}`),
    );
    const allowed = [
      // the pipeline role: the pipeline's own artifacts
      /^Allow <bucket>\/app\/\* s3:GetObject,s3:GetObjectVersion,s3:PutObject,s3:PutObjectAcl$/,
      // a build role: one artifact it reads or writes
      /^Allow <bucket>\/app\/(Source|[a-z][0-9a-f]{9})\/\* s3:(GetObject,s3:GetObjectVersion|PutObject)$/,
      // a gate role: its own summary; a build role: its own report export or cache
      /^Allow <bucket>\/gatehouse\/\*\/[a-z0-9-]+\/gatehouse\.md s3:PutObject$/,
      /^Allow <bucket>\/test-reports\/[a-z0-9-]+\/[a-z0-9@-]+\/\* s3:PutObject$/,
      /^Allow <bucket>\/cache\/[a-z0-9-]+\/\* s3:GetObject,s3:PutObject$/,
      // approvers: the summaries, never the stored baselines
      /^Allow <bucket>\/gatehouse\/\* s3:GetObject$/,
      /^Deny <bucket>\/gatehouse\/baselines\/\*\/baseline\.json s3:GetObject$/,
      /^Allow \* ecr:GetAuthorizationToken$/,
    ];
    for (const w of wild) {
      expect({ w, allowed: allowed.some((a) => a.test(w)) }).toEqual({ w, allowed: true });
    }
    expect(wild.filter((w) => w.startsWith('Allow * '))).toHaveLength(1);
  });

  test('a step reads only the secrets it names', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const reads = statements(template).filter((s) => actionsOf(s.statement).includes('secretsmanager:GetSecretValue'));
    expect(reads).toHaveLength(1);
    expect(reads[0].where).toMatch(/stageimagesscanRole/);
    expect(resourcesOf(reads[0].statement).map(flatten)).toEqual([
      'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:ci/token-??????',
      'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ci/other-AbCdEf',
    ]);
  });

  test('secrets reach the buildspec by reference, never by value', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const project = Object.values(template.findResources('AWS::CodeBuild::Project')).find((p) => p.Properties.Description.endsWith('images/scan'))!;
    const spec = buildSpecOf(template, 'images', 'scan');
    expect(spec.env['secrets-manager']).toEqual({
      TOKEN: 'ci/token:value',
      OTHER: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ci/other-AbCdEf',
    });
    expect(flatten(project.Properties.Source.BuildSpec)).not.toMatch(/password|secret-value/i);
  });

  test('a private ECR image is pulled with the project role, from that repository only', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const pulls = statements(template).filter((s) => actionsOf(s.statement).includes('ecr:BatchGetImage'));
    expect(pulls).toHaveLength(1);
    expect(resourcesOf(pulls[0].statement).map(flatten)).toEqual(['arn:<AWS::Partition>:ecr:eu-west-1:111111111111:repository/tools/trivy']);
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Description: 'gatehouse app: images/scan',
      Environment: Match.objectLike({ ImagePullCredentialsType: 'SERVICE_ROLE' }),
    });
  });

  test('each CodeBuild role is assumed by CodeBuild and writes only its own log group', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const logWrites = statements(template).filter((s) => actionsOf(s.statement).includes('logs:PutLogEvents'));
    expect(logWrites).toHaveLength(3);
    for (const w of logWrites) {
      const step = /stage(\w+?)Role/.exec(w.where)![1];
      expect(resourcesOf(w.statement)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`stage${step}Logs`)), 'Arn'] }]);
    }
    template.allResourcesProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: Match.stringLikeRegexp('^(codebuild|codepipeline)\\.amazonaws\\.com$') } })] },
    });
  });

  test('the pipeline role starts only this pipeline\'s builds', () => {
    // WHEN
    const { template } = seedTemplate();
    // THEN
    const starts = statements(template).filter((s) => actionsOf(s.statement).includes('codebuild:StartBuild'));
    expect(starts).toHaveLength(1);
    expect(starts[0].where).toMatch(/EnginePipelineRole/);
    expect(resourcesOf(starts[0].statement).map(flatten)).toEqual([
      expect.stringMatching(/^<EnginestagebuildcompileProject\w+\.Arn>$/),
      expect.stringMatching(/^<EnginestageimagesdockerProject\w+\.Arn>$/),
      expect.stringMatching(/^<EnginestageimagesscanProject\w+\.Arn>$/),
    ]);
  });

  test('the grants every build role (or every gate) needs alike are one policy each, on exactly the roles that had them, before the pipeline runs', () => {
    // GIVEN a writer (compile), a reader (unit), a step that runs always (chat), a scan and its gate
    const { template } = render(
      pipeline([
        Stage.buildStage('build', { steps: [cmd('compile', { outputs: [{ name: 'dist', paths: ['dist'] }] })] }),
        Stage.testStage('test', { steps: [cmd('unit', { inputs: ['dist'] })] }),
        Stage.securityStage('oast', { steps: [new security.Bandit({})] }),
        Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [cmd('chat')] }),
      ]),
    );
    // THEN
    const shared = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^shared-') } });
    const attached = Object.fromEntries(
      Object.values(shared).map((p: any) => [
        p.Properties.PolicyName,
        {
          statements: p.Properties.PolicyDocument.Statement.map((x: any) => [x.Sid, actionsOf(x), resourcesOf(x).map(flatten)]),
          roles: p.Properties.Roles.map((r: any) => /^Engine(\w+?)Role[0-9A-F]{8}$/.exec(r.Ref)![1]).sort(),
        },
      ]),
    );
    expect(attached).toEqual({
      'shared-ArtifactBucket': {
        statements: [['ArtifactBucket', ['s3:GetBucketAcl', 's3:GetBucketLocation'], [expect.stringMatching(/^<EngineArtifacts\w+\.Arn>$/)]]],
        // not chat: it runs after the execution, with no artifact
        roles: ['stagebuildcompile', 'stageoastbandit', 'stageoastbanditGate', 'stagetestunit'],
      },
      'shared-PipelineKeyRead': {
        statements: [['PipelineKey', ['kms:Decrypt', 'kms:DescribeKey'], [expect.stringMatching(/^<EngineKey\w+\.Arn>$/)]]],
        roles: ['stagenotifychat', 'stagetestunit'],
      },
      'shared-PipelineKeyReadWrite': {
        statements: [['PipelineKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], [expect.stringMatching(/^<EngineKey\w+\.Arn>$/)]]],
        roles: ['stagebuildcompile', 'stageoastbandit', 'stageoastbanditGate'],
      },
      'shared-Gates': {
        statements: [
          ['ReadBundledGate', ['s3:GetObject'], [expect.stringMatching(/cdk-hnb659fds-assets/)]],
          ['WriteAuditEvents', ['logs:CreateLogStream', 'logs:PutLogEvents'], [expect.stringMatching(/^<EngineAuditLogs\w+\.Arn>$/)]],
        ],
        roles: ['stageoastbanditGate'],
      },
    });
    // no build role carries its own copy, and the pipeline waits for all three
    const own = statements(template).filter((s) => /Role[0-9A-F]{8}$/.test(s.where) && !/PipelineRole/.test(s.where));
    expect(own.filter((s) => ['ArtifactBucket', 'PipelineKey', 'ReadBundledGate', 'WriteAuditEvents'].includes(s.statement.Sid))).toEqual([]);
    const pipelineResource: any = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0];
    expect(pipelineResource.DependsOn).toEqual(expect.arrayContaining(Object.keys(shared)));
  });

  test('grants through a project are refused, naming roleOf; grants on roleOf land on the step role', () => {
    // GIVEN
    const { engine, stack } = build(pipeline([Stage.deployStage('prod', { environment: 'prod', steps: [cmd('ship')] })]));
    const other = new s3.Bucket(stack, 'Other');
    const key = new kms.Key(stack, 'OtherKey');
    // WHEN / THEN: the library's grants of both kinds (principal policy, resource policy) are refused
    expect(() => other.grantRead(engine.projectOf('prod', 'ship'))).toThrow(/stage-prod\/ship\/Project: a grant through a gatehouse CodeBuild project cannot widen its role.*roleOf\(stage, step\)/);
    expect(() => key.grantDecrypt(engine.projectOf('prod', 'ship'))).toThrow(/cannot widen its role/);
    other.grantWrite(engine.roleOf('prod', 'ship'));
    const all = statements(Template.fromStack(stack)).filter((s) => JSON.stringify(s.statement).includes('Other'));
    expect(all.some((s) => actionsOf(s.statement).some((a) => a.startsWith('s3:Get')))).toBe(false);
    expect(all.some((s) => actionsOf(s.statement).some((a) => a.startsWith('s3:PutObject')))).toBe(true);
  });
});
