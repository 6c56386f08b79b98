// the Tekton v1 engine (submodule `tekton`)
export * from './props';
export * from './engine';
