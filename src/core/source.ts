/** Where a pipeline's source code lives. */
export enum SourceProvider {
  /** GitHub, through a CodeStar connection on CodePipeline. */
  GITHUB = 'GITHUB',
  /** GitLab, through a CodeStar connection on CodePipeline. */
  GITLAB = 'GITLAB',
  /** Bitbucket, through a CodeStar connection on CodePipeline. */
  BITBUCKET = 'BITBUCKET',
  /** AWS CodeCommit. */
  CODECOMMIT = 'CODECOMMIT',
  /** A zip object in Amazon S3. */
  S3 = 'S3',
  /** Any git repository reachable by URL (Tekton clones it; CodePipeline cannot fetch it). */
  GIT = 'GIT',
}

/** A repository hosted on GitHub, GitLab or Bitbucket. */
export interface HostedRepositoryProps {
  /** Owner (user, organization or group) of the repository. */
  readonly owner: string;
  /** Repository name. */
  readonly repository: string;
  /**
   * Branch that triggers the pipeline.
   * @default 'main'
   */
  readonly branch?: string;
}

/** An AWS CodeCommit repository. */
export interface CodeCommitSourceProps {
  /** Repository name. */
  readonly repositoryName: string;
  /**
   * Branch that triggers the pipeline.
   * @default 'main'
   */
  readonly branch?: string;
}

/** A source zip in S3. */
export interface S3SourceProps {
  /** Bucket name. */
  readonly bucketName: string;
  /** Object key of the zip. */
  readonly objectKey: string;
}

/** Any git repository. */
export interface GitSourceProps {
  /** Clone URL (https). */
  readonly url: string;
  /**
   * Branch that triggers the pipeline.
   * @default 'main'
   */
  readonly branch?: string;
}

/**
 * The source of a pipeline: a git repository and branch (or an S3 object).
 * Each engine decides how to fetch it.
 */
export class Source {
  /** A GitHub repository. */
  public static gitHub(props: HostedRepositoryProps): Source {
    return Source.hosted(SourceProvider.GITHUB, 'https://github.com', props);
  }

  /** A GitLab repository. */
  public static gitLab(props: HostedRepositoryProps): Source {
    return Source.hosted(SourceProvider.GITLAB, 'https://gitlab.com', props);
  }

  /** A Bitbucket repository. */
  public static bitbucket(props: HostedRepositoryProps): Source {
    return Source.hosted(SourceProvider.BITBUCKET, 'https://bitbucket.org', props);
  }

  /** An AWS CodeCommit repository. */
  public static codeCommit(props: CodeCommitSourceProps): Source {
    requireText('codeCommit repositoryName', props.repositoryName);
    const branch = checkBranch(props.branch);
    return new Source(SourceProvider.CODECOMMIT, {
      repository: props.repositoryName,
      branch,
      url: `codecommit::${props.repositoryName}`,
    });
  }

  /** A zip object in S3 (no branch; the pipeline starts when the object changes). */
  public static s3(props: S3SourceProps): Source {
    requireText('s3 bucketName', props.bucketName);
    requireText('s3 objectKey', props.objectKey);
    return new Source(SourceProvider.S3, {
      bucketName: props.bucketName,
      objectKey: props.objectKey,
      url: `s3://${props.bucketName}/${props.objectKey}`,
    });
  }

  /** Any git repository reachable over https. */
  public static git(props: GitSourceProps): Source {
    requireText('git url', props.url);
    if (!/^(https?|ssh|git):\/\//.test(props.url) && !/^git@/.test(props.url)) {
      throw new Error(`git url "${props.url}" is not a clone URL: use an https:// (or ssh) URL`);
    }
    return new Source(SourceProvider.GIT, { url: props.url, branch: checkBranch(props.branch) });
  }

  private static hosted(provider: SourceProvider, host: string, props: HostedRepositoryProps): Source {
    const what = provider.toLowerCase();
    requireText(`${what} owner`, props.owner);
    requireText(`${what} repository`, props.repository);
    if (props.repository.includes('/')) {
      throw new Error(
        `${what} repository "${props.repository}" contains "/": pass the owner and the repository separately`,
      );
    }
    return new Source(provider, {
      owner: props.owner,
      repository: props.repository,
      branch: checkBranch(props.branch),
      url: `${host}/${props.owner}/${props.repository}.git`,
    });
  }

  /** Where the code is hosted. */
  public readonly provider: SourceProvider;
  /** Clone URL (or a provider-specific locator for CodeCommit and S3). */
  public readonly url: string;
  /** Branch that triggers the pipeline; undefined for S3. */
  public readonly branch?: string;
  /** Repository owner (hosted providers). */
  public readonly owner?: string;
  /** Repository name (hosted providers and CodeCommit). */
  public readonly repository?: string;
  /** Bucket (S3). */
  public readonly bucketName?: string;
  /** Object key (S3). */
  public readonly objectKey?: string;

  private constructor(
    provider: SourceProvider,
    fields: {
      url: string;
      branch?: string;
      owner?: string;
      repository?: string;
      bucketName?: string;
      objectKey?: string;
    },
  ) {
    this.provider = provider;
    this.url = fields.url;
    this.branch = fields.branch;
    this.owner = fields.owner;
    this.repository = fields.repository;
    this.bucketName = fields.bucketName;
    this.objectKey = fields.objectKey;
  }

  /** `owner/repository` for hosted providers. */
  public get fullRepositoryName(): string | undefined {
    return this.owner && this.repository ? `${this.owner}/${this.repository}` : undefined;
  }
}

function requireText(what: string, value: string): void {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new Error(`${what} is empty: give a value`);
  }
}

function checkBranch(branch: string | undefined): string {
  const b = branch ?? 'main';
  if (b.trim().length === 0 || /\s/.test(b) || b.includes('..')) {
    throw new Error(`branch "${b}" is not a valid git branch name: use a name such as "main"`);
  }
  return b;
}

