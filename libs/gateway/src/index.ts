export * from './gateway.module';
export { apiDocument, serveApiDocuments } from './docs/api-documents';
