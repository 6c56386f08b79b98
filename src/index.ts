export * from './core';
export * as codepipeline from './codepipeline';
export * as tekton from './tekton';
