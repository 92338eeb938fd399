export * from './gateway.module';
export { apiDocument, serveApiDocuments } from './docs/api-documents';
export { sharedCountersBucketFor } from './rate-limit/shared-counters.bucket';
