export * from './props';
export * from './engine';
export * from './records';
