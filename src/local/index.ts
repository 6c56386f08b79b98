export * from './engine';
export * from './records';
