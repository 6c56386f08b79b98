import { CfnResource, Fn, Lazy, aws_codebuild as codebuild } from 'aws-cdk-lib';
import type { AddToPrincipalPolicyResult, IPrincipal, IRole, PolicyStatement, PrincipalPolicyFragment } from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** What the engine sets on one of its CodeBuild projects. */
export interface EngineProjectProps {
  readonly description: string;
  /** The project's own role: its inline policy is all the project may do (no library grant adds to it). */
  readonly role: IRole;
  readonly encryptionKey: kms.IKey;
  readonly buildImage: codebuild.IBuildImage;
  readonly computeType: codebuild.ComputeType;
  readonly privileged: boolean;
  /** Plain-text environment variables. @default none */
  readonly environmentVariables?: { [name: string]: string };
  readonly timeoutMinutes: number;
  readonly buildSpec: codebuild.BuildSpec;
  /** The project's log group (a plain `AWS::Logs::LogGroup` resource). */
  readonly logGroup: CfnResource;
  /** The step's cache folder in the artifact bucket. @default no cache */
  readonly cache?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /**
   * Started outside the pipeline (no source, no artifacts) rather than by a CodePipeline action.
   * @default false
   */
  readonly standalone?: boolean;
}

/** A project the engine created. */
export interface EngineProject {
  /**
   * The project as CodePipeline actions, event rules and users (`projectOf`) take it; the
   * construct `<id>`, parent of the resource (`node.defaultChild`), where acknowledgements go.
   */
  readonly project: codebuild.IProject;
  readonly resource: codebuild.CfnProject;
}

/**
 * One CodeBuild project as its CloudFormation resource, at the construct path and with the
 * properties `codebuild.PipelineProject` (or `codebuild.Project`, standalone) would give it.
 *
 * The library's project class does much this engine never uses (grants to a role that is locked
 * anyway, VPC, file systems, secondary sources, its own validations) and was the largest single cost
 * of constructing a pipeline: a seed pipeline's twelve projects took a fifth of its construction
 * time. The resource is written once here; the image's own check (`IBuildImage.validate`) still runs.
 */
export function engineProject(scope: Construct, id: string, p: EngineProjectProps): EngineProject {
  // the library's reference to a project by name, with the resource as its child (the path, and
  // so the logical id, of the library's project) and the resource's own ARN attribute, so that
  // policies list `Fn::GetAtt <project>.Arn` as they do for the library's project. It has no
  // role (a CodeBuild action grants it nothing: its role already lists all it may do), and a
  // grant through it is refused, naming the role to grant on.
  let resource: codebuild.CfnProject | undefined;
  const project = codebuild.Project.fromProjectName(scope, id, Lazy.string({ produce: () => resource!.ref }));
  const construct = project as unknown as Construct;
  const environment = { computeType: p.computeType, privileged: p.privileged };
  const errors = p.buildImage.validate(environment);
  if (errors.length > 0) {
    throw new Error(`${construct.node.path}: invalid CodeBuild build environment: ${errors.join('; ')}`);
  }
  const variables = p.environmentVariables ?? {};
  resource = new codebuild.CfnProject(construct, 'Resource', {
    description: p.description,
    source: { type: p.standalone ? 'NO_SOURCE' : 'CODEPIPELINE', buildSpec: p.buildSpec.toBuildSpec(construct) },
    artifacts: { type: p.standalone ? 'NO_ARTIFACTS' : 'CODEPIPELINE' },
    serviceRole: p.role.roleArn,
    environment: {
      type: p.buildImage.type,
      image: p.buildImage.imageId,
      // as the library's project: the image's principal when it is CodeBuild's, else the role
      imagePullCredentialsType:
        p.buildImage.imagePullPrincipalType === codebuild.ImagePullPrincipalType.CODEBUILD
          ? codebuild.ImagePullPrincipalType.CODEBUILD
          : codebuild.ImagePullPrincipalType.SERVICE_ROLE,
      privilegedMode: p.privileged,
      computeType: p.computeType,
      environmentVariables:
        Object.keys(variables).length > 0
          ? Object.entries(variables).map(([name, value]) => ({ name, type: codebuild.BuildEnvironmentVariableType.PLAINTEXT, value }))
          : undefined,
    },
    encryptionKey: p.encryptionKey.keyArn,
    cache: p.cache ? { type: 'S3', location: Fn.join('/', [p.cache.bucket.bucketName, p.cache.prefix]) } : { type: 'NO_CACHE' },
    timeoutInMinutes: p.timeoutMinutes,
    logsConfig: { cloudWatchLogs: { status: 'ENABLED', groupName: p.logGroup.ref } },
  });
  Object.defineProperty(project, 'projectArn', { value: resource.attrArn, enumerable: true });
  Object.defineProperty(project, 'grantPrincipal', { value: new NoGrants(construct.node.path), enumerable: true });
  return { project, resource };
}

/**
 * The grant principal of an engine project: a grant through the project (`bucket.grantRead(
 * engine.projectOf(...))`) would widen a role the engine wrote to list exactly what its step needs,
 * so it is refused at synthesis, with the fix, rather than added or silently dropped.
 */
class NoGrants implements IPrincipal {
  public readonly grantPrincipal: IPrincipal = this;
  public readonly assumeRoleAction = 'sts:AssumeRole';

  constructor(private readonly path: string) {}

  public get policyFragment(): PrincipalPolicyFragment {
    throw this.refused();
  }

  public addToPolicy(_statement: PolicyStatement): boolean {
    throw this.refused();
  }

  public addToPrincipalPolicy(_statement: PolicyStatement): AddToPrincipalPolicyResult {
    throw this.refused();
  }

  private refused(): Error {
    return new Error(
      `${this.path}: a grant through a gatehouse CodeBuild project cannot widen its role (the role lists exactly what the step needs): ` +
        "grant on the step's role instead, CodePipelineEngine.roleOf(stage, step).addToPolicy(...) or bucket.grantRead(engine.roleOf(stage, step))",
    );
  }
}
