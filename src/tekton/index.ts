// the Tekton v1 engine (submodule `tekton`)
export {};
