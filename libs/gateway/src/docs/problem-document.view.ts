/** One field that failed validation. */
export class FieldProblem {
  /** Dotted path of the offending property, e.g. `items.0.quantity`. */
  field!: string;
  messages!: string[];
}

/** An error, as RFC 9457 problem details (`application/problem+json`). */
export class ProblemDocument {
  /** Always `about:blank`: the status and `code` say what went wrong. */
  type!: string;
  title!: string;
  status!: number;
  detail!: string;
  /** The request's path. */
  instance!: string;
  /** The stable, machine-readable error code clients branch on. */
  code!: string;
  /** Quote it when reporting a problem: every log line of the request carries it. */
  correlationId!: string;
  errors?: FieldProblem[];
}
