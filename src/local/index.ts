export * from './engine';
export * from './records';
export { LocalRunnerKind } from './runners/runner';
