export * from './core';
export * as codepipeline from './codepipeline';
export * as tekton from './tekton';
export * as github from './github';
export * as circleci from './circleci';
export * as security from './security';
export * as policy from './policy';
export * as local from './local';
export * as graph from './graph';
