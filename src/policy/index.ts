export * from './rule';
export * from './rules';
export * from './cel-rule';
export * from './pack';
export * from './builtin-packs';
export * from './waiver';
export * from './evaluate';
export { pipelineDocumentProblems, PIPELINE_DOCUMENT_SCHEMA } from './schema';
