import { Arn, Stack, aws_codebuild as codebuild, aws_ecr as ecr } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** How CodeBuild gets a step's image. */
export interface ResolvedImage {
  readonly buildImage: codebuild.IBuildImage;
  /** ARN of a private ECR repository the project role must pull from. */
  readonly ecrRepositoryArn?: string;
  /** Whether the image is one CodeBuild curates (`aws/codebuild/...`). */
  readonly curated: boolean;
}

/**
 * The image a gate runs in on CodePipeline when the pipeline keeps the default gate image
 * (`defaults.gateImage` unset): CodeBuild's managed Amazon Linux 2023 standard image, which has
 * Node.js (20, 22 and 24 as `runtime-versions`) and the AWS CLI v2 the gate script uses for its
 * S3 transfers. AWS maintains it and CodeBuild serves it from its own cache; CodeBuild takes it by
 * name only (no digest).
 */
export const CODEBUILD_GATE_IMAGE = codebuild.LinuxBuildImage.AMAZON_LINUX_2_5.imageId;

/** The Node.js runtime the gate selects in `CODEBUILD_GATE_IMAGE` (`runtime-versions: nodejs`). */
export const CODEBUILD_GATE_NODE = '22';

const PRIVATE_ECR = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?:(?::|@)(.+))?$/;

/**
 * Maps a model image reference to a CodeBuild image:
 * - `aws/codebuild/...` → a CodeBuild-curated image;
 * - `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]` → a private ECR image pulled
 *   with the project role (which then gets pull rights on that repository only);
 * - anything else (Docker Hub, `public.ecr.aws/...`, other registries) → pulled anonymously.
 */
export function resolveImage(scope: Construct, id: string, image: string): ResolvedImage {
  if (image.startsWith('aws/codebuild/')) {
    return { buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId(image), curated: true };
  }
  const m = PRIVATE_ECR.exec(image);
  if (m) {
    const [, account, region, repositoryName, ref] = m;
    const arn = Arn.format(
      { partition: Stack.of(scope).partition, service: 'ecr', account, region, resource: 'repository', resourceName: repositoryName },
    );
    const repository = ecr.Repository.fromRepositoryAttributes(scope, id, { repositoryArn: arn, repositoryName });
    return {
      buildImage: codebuild.LinuxBuildImage.fromEcrRepository(repository, ref ?? 'latest'),
      ecrRepositoryArn: arn,
      curated: false,
    };
  }
  return { buildImage: codebuild.LinuxBuildImage.fromDockerRegistry(image), curated: false };
}
