// the CodePipeline V2 engine (submodule `codepipeline`)
export {};
