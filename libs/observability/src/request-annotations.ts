/** Who made an HTTP request, as the request line reports it once authentication knows. */
export interface RequestAnnotation {
  /** The verified token's subject. */
  principal?: string;
  /** The OAuth client (`client_id`) the token was issued to. */
  client?: string;
}

const annotations = new WeakMap<object, RequestAnnotation>();

/** Records who made `request` (done by the authentication guard), for the request line. */
export function annotateRequest(request: object, annotation: RequestAnnotation): void {
  annotations.set(request, annotation);
}

export function annotationOf(request: object): RequestAnnotation | undefined {
  return annotations.get(request);
}
