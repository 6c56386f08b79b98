// the CircleCI engine (submodule `circleci`)
export * from './props';
export * from './engine';
