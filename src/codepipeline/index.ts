// the CodePipeline V2 engine (submodule `codepipeline`)
export * from './cdk-stage-deployment';
export * from './engine';
export * from './cdk-pipelines';
