// the GitHub Actions engine (submodule `github`)
export * from './props';
export * from './engine';
